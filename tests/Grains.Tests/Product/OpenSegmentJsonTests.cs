using System.Buffers;
using System.Text;
using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;

namespace InventoryOrleans.Grains.Tests.Product;

/// <summary>
/// The open entries' JSON kept as entries arrive, against encoding them whole (what every head held before): the same
/// bytes after every change of the window — appends, heads written at any point, seals, evictions from the open
/// segment of a window smaller than a segment — and sealed segments encoded as they would be on their own.
/// </summary>
public sealed class OpenSegmentJsonTests
{
    [Theory]
    [InlineData(1, 32, 1)]
    [InlineData(2, 3, 5)]
    [InlineData(3, 32, 10)]
    [InlineData(4, 32, 100)]
    [InlineData(5, 1, 3)]
    [InlineData(6, 4, 4)]
    public void OpenEntriesJson_AnySequenceOfChanges_TheBytesOfTheEntriesEncodedWhole(int seed, int segmentSize, int windowSize)
    {
        var random = new Random(seed);
        var window = new SeenEventWindow(segmentSize);
        var enqueued = new List<SeenEvent>();
        for (var step = 0; step < 500; step++)
        {
            while (window.Count >= windowSize)
            {
                window.Dequeue();
            }

            var seen = Entry(random, step);
            window.Enqueue(seen);
            enqueued.Add(seen);

            // A head written now and then starts the kept JSON; between heads it only grows.
            if (random.Next(3) == 0)
            {
                Assert.Equal(Whole(window.OpenEntries), Encoding.UTF8.GetString(window.OpenEntriesJson));
            }

            // A sealed segment is stored as its entries encoded on their own would be.
            var changes = window.GetUnsavedChanges();
            foreach (var segment in changes.Added)
            {
                var entries = enqueued.Skip((int)segment.Id * segmentSize).Take(segmentSize);
                Assert.Equal(Whole(entries), Encoding.UTF8.GetString(segment.Data));
            }

            window.MarkSaved(changes);
        }

        Assert.Equal(Whole(window.OpenEntries), Encoding.UTF8.GetString(window.OpenEntriesJson));
    }

    [Fact]
    public void OpenEntriesJson_WindowReadFromAHead_KeptFromTheStoredEntriesOn()
    {
        var state = new ProductState();
        for (var i = 0; i < 5; i++)
        {
            state.Window.Enqueue(Entry(new Random(i), i));
        }

        var read = JsonSerializer.Deserialize<ProductState>(JsonSerializer.SerializeToUtf8Bytes(state, ProductStateHeadConverter.StorageOptions), ProductStateHeadConverter.StorageOptions)!;
        Assert.Equal(Whole(read.Window.OpenEntries), Encoding.UTF8.GetString(read.Window.OpenEntriesJson));
        read.Window.Enqueue(Entry(new Random(9), 9));

        Assert.Equal(Whole(read.Window.OpenEntries), Encoding.UTF8.GetString(read.Window.OpenEntriesJson));
        Assert.Equal(6, read.Window.OpenEntries.Count());
    }

    private static string Whole(IEnumerable<SeenEvent> entries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            SeenEventCodec.WriteEntries(writer, entries);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static SeenEvent Entry(Random random, int step)
    {
        var seen = new SeenEvent
        {
            EventId = random.Next(4) switch { 0 => $"e-{step}", 1 => $"é\"<{step}>\\", 2 => $"日本-{step}", _ => $"\u0001\n{step}" },
            Status = (OutcomeStatus)random.Next(3),
            Version = random.NextInt64(),
            Reason = random.Next(2) == 0 ? null : "InsufficientStock",
            Topic = random.Next(2) == 0 ? null : Topics.Events,
            Partition = random.Next(12),
            Offset = random.NextInt64(),
        };
        if (random.Next(2) == 0)
        {
            seen.Location = random.Next(2) == 0 ? "dc" : "store \"7\"";
            seen.OccurredAtUtcTicks = random.NextInt64();
            seen.Delta = random.NextInt64(long.MinValue, long.MaxValue);
        }

        return seen;
    }
}
