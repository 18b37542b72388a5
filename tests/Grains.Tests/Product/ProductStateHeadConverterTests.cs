using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Publication;

namespace InventoryOrleans.Grains.Tests.Product;

/// <summary>
/// The hand-written head against System.Text.Json's own serializer with the Web defaults, which wrote every stored
/// head before it: byte for byte, for every property, so stored states and every reader of them stay as they were.
/// </summary>
public sealed class ProductStateHeadConverterTests
{
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Write_EveryPropertySet_TheSameBytesAsTheReflectionSerializer()
    {
        var state = EveryPropertySet();

        AssertSameBytes(state);
    }

    [Fact]
    public void Write_NewState_TheSameBytesAsTheReflectionSerializer() => AssertSameBytes(new ProductState());

    [Fact]
    public void Write_NullCollectionsAndEntries_TheSameBytesAsTheReflectionSerializer()
    {
        var state = new ProductState
        {
            OnHand = null!,
            Reservations = new Dictionary<string, ReservationHold> { ["r-null"] = null! },
            LastSnapshotAt = null!,
            Offsets = null!,
            RecentAlerts = [null!],
            Window = null!,
        };

        AssertSameBytes(state);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Write_RandomStates_TheSameBytesAsTheReflectionSerializer(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 200; i++)
        {
            AssertSameBytes(RandomState(random));
        }
    }

    [Fact]
    public void Read_AWrittenHead_GivesTheStateBack()
    {
        var state = EveryPropertySet();
        var head = JsonSerializer.SerializeToUtf8Bytes(state, ProductStateHeadConverter.StorageOptions);

        var read = JsonSerializer.Deserialize<ProductState>(head, ProductStateHeadConverter.StorageOptions)!;

        Assert.Equal(Encoding.UTF8.GetString(head), Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(read, Reflection)));
        Assert.Equal(state.Window.OpenEntries.Select(e => e.EventId), read.Window.OpenEntries.Select(e => e.EventId));
    }

    // The sample above sets every serialized property of the state and of the types it holds, so a property added to
    // any of them and not to the writer shows up here or in the byte comparison.
    [Theory]
    [InlineData(typeof(ProductState))]
    [InlineData(typeof(ReservationHold))]
    [InlineData(typeof(PendingPublication))]
    [InlineData(typeof(LowStockAlert))]
    public void EveryPropertySet_SetsEveryProperty(Type type)
    {
        var state = EveryPropertySet();
        object instance = type == typeof(ProductState) ? state
            : type == typeof(ReservationHold) ? state.Reservations.Values.First()
            : type == typeof(PendingPublication) ? state.PendingPublication!
            : state.RecentAlerts[1];

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null))
        {
            var value = property.GetValue(instance);
            var unset = value is null || (property.PropertyType.IsValueType && value.Equals(Activator.CreateInstance(property.PropertyType)));
            Assert.False(unset, $"{type.Name}.{property.Name} is not set in the sample: set it, and write it in ProductStateHeadConverter.");
        }
    }

    private static void AssertSameBytes(ProductState state)
    {
        var expected = JsonSerializer.SerializeToUtf8Bytes(state, Reflection);
        var written = JsonSerializer.SerializeToUtf8Bytes(state, ProductStateHeadConverter.StorageOptions);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(written));
    }

    private static ProductState EveryPropertySet()
    {
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234567);
        var state = new ProductState
        {
            OnHand = { ["dc"] = 10, ["store \"7\" <é>"] = -3, ["πλ\u2028"] = long.MaxValue },
            Reserved = 4,
            InTransit = -2,
            Version = 17,
            LastEventId = "e-17 \"quoted\" \\ é",
            UpdatedAt = at,
            Reservations = { ["r1"] = new ReservationHold { Remaining = 3, ExpiresAt = at.AddDays(1) }, ["r2"] = new ReservationHold { Remaining = 1 } },
            LastSnapshotAt = { ["dc"] = at.ToUniversalTime(), ["<store>"] = at.AddTicks(1) },
            Offsets = { ["inventory.events/3"] = 99, ["inventory.sales/0"] = 0 },
            PublishedVersion = 15,
            PendingPublication = new PendingPublication { Partition = 3, Epoch = 2, Attempt = 41, Version = 16 },
            EarlierPublication = new PendingPublication { Partition = 3, Epoch = 2, Attempt = 40, Version = 15 },
            ExpiryReleasedVersion = 16,
            ExpiryReminderAt = at.AddMinutes(5),
            WatchedUntil = at.AddMinutes(1),
            LowStockThreshold = 5,
            ThresholdInForce = 5,
            LowStock = true,
            RecentAlerts =
            [
                new LowStockAlert(TestEvents.ProductId, 4, 5, LowStockState.Low, 16, at),
                new LowStockAlert(TestEvents.ProductId, 9, 5, LowStockState.Recovered, 17, at.AddSeconds(1)),
            ],
        };
        state.Window.Enqueue(new SeenEvent { EventId = "e-1", Status = OutcomeStatus.Applied, Version = 1, Topic = "inventory.events", Partition = 3, Offset = 7, Location = "dc", OccurredAtUtcTicks = at.UtcTicks, Delta = 10 });
        state.Window.Enqueue(new SeenEvent { EventId = "e-2 \"x\"", Status = OutcomeStatus.Rejected, Reason = "INSUFFICIENT_STOCK", Version = 1 });
        return state;
    }

    private static ProductState RandomState(Random random)
    {
        string Text() => random.Next(6) switch
        {
            0 => "",
            1 => "é\"<>&'\\",
            2 => $"loc-{random.Next(1_000)}",
            3 => "\u0001\t\n",
            4 => "日本",
            _ => Guid.NewGuid().ToString(),
        };
        DateTimeOffset At() => new DateTimeOffset(random.NextInt64(DateTimeOffset.UnixEpoch.Ticks, new DateTime(2100, 1, 1).Ticks), TimeSpan.FromMinutes(15 * random.Next(-48, 57)));
        long? Maybe(long value) => random.Next(2) == 0 ? null : value;
        PendingPublication? Publication() => random.Next(2) == 0 ? null : new PendingPublication { Partition = random.Next(64), Epoch = random.NextInt64(), Attempt = random.NextInt64(), Version = random.NextInt64() };

        var state = new ProductState
        {
            Reserved = random.NextInt64(),
            InTransit = -random.NextInt64(),
            Version = random.NextInt64(),
            LastEventId = random.Next(3) == 0 ? null : Text(),
            UpdatedAt = At(),
            PublishedVersion = Maybe(random.NextInt64()),
            PendingPublication = Publication(),
            EarlierPublication = Publication(),
            ExpiryReleasedVersion = Maybe(random.Next()),
            ExpiryReminderAt = random.Next(2) == 0 ? null : At(),
            WatchedUntil = random.Next(2) == 0 ? null : At(),
            LowStockThreshold = Maybe(random.Next(1_000)),
            ThresholdInForce = random.Next(1_000),
            LowStock = random.Next(2) == 0,
        };
        for (var i = random.Next(4); i > 0; i--)
        {
            state.OnHand[Text() + i] = random.NextInt64(long.MinValue, long.MaxValue);
            state.LastSnapshotAt[Text() + i] = At();
            state.Offsets[$"{Text()}/{i}"] = random.NextInt64();
            state.Reservations[Text() + i] = new ReservationHold { Remaining = random.Next(), ExpiresAt = random.Next(2) == 0 ? null : At() };
            state.RecentAlerts.Add(new LowStockAlert(Text(), random.NextInt64(), random.Next(), (LowStockState)random.Next(2), random.NextInt64(), At()));
            state.Window.Enqueue(new SeenEvent { EventId = Text(), Status = (OutcomeStatus)random.Next(3), Version = random.NextInt64(), Reason = random.Next(2) == 0 ? null : Text() });
        }

        return state;
    }
}
