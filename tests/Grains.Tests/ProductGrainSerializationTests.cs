using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Grains.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>
/// Every type that crosses the product grain's boundary (arguments, results, exceptions, its placement strategy)
/// through the cluster's own Orleans serializer: a type without a serializer only fails at run time.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ProductGrainSerializationTests(SiloCluster silo)
{
    private static readonly EventPosition Position = new(Topics.Events, 11, long.MaxValue);

    private static readonly InventoryEvent EveryField = new(
        "ev-1", InventoryEventType.Fulfillment, "sku-ß", -5, new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(2)),
        "dc", "res-1", new DateTimeOffset(2026, 3, 4, 6, 0, 0, TimeSpan.Zero), "ECOMMERCE", "corr-1");

    private static readonly StockView Stock = new(
        "sku-ß", 7, 3, 2, 4, 12, "ev-1", new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero),
        new Dictionary<string, long>(StringComparer.Ordinal) { ["dc"] = 10, ["store"] = -3 });

    public static TheoryData<string> Samples => new(SampleValues.Keys);

    private static Dictionary<string, object> SampleValues { get; } = new()
    {
        ["event with every field"] = EveryField,
        ["event with defaults"] = new InventoryEvent("ev-2", InventoryEventType.Receipt, "sku", 1, T0),
        ["position"] = Position,
        ["positioned event"] = new PositionedEvent(EveryField, Position),
        ["positioned event without position"] = new PositionedEvent(EveryField, null),
        ["batch as array"] = new PositionedEvent[] { new(EveryField, Position), new(EveryField, null) },
        ["batch as list"] = new List<PositionedEvent> { new(EveryField, Position) },
        ["rejection"] = new EventOutcome("ev-1", "sku-ß", OutcomeStatus.Rejected, RejectionReasons.ExceedsReservation, 12, "corr-1", Position),
        ["duplicate without position"] = new EventOutcome("ev-1", "sku-ß", OutcomeStatus.Duplicate, null, 12, null),
        ["stock"] = Stock,
        ["stock without locations"] = Stock with { Locations = new Dictionary<string, long>(), LastEventId = null },
        ["batch result"] = new BatchApplyResult([new EventOutcome("ev-1", "sku-ß", OutcomeStatus.Applied, null, 12, null, Position)], Stock, true),
        ["event type"] = InventoryEventType.ReservationRelease,
        ["outcome status"] = OutcomeStatus.Duplicate,
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Serializer_ValueCrossingTheGrainBoundary_RoundTripsWithEveryMember(string sample)
    {
        var value = SampleValues[sample];

        var copy = RoundTrip(value);

        Assert.Equal(value.GetType(), copy.GetType());
        Assert.Equal(JsonSerializer.Serialize(value, value.GetType()), JsonSerializer.Serialize(copy, copy.GetType()));
    }

    [Fact]
    public void Serializer_InconsistentStateException_KeepsMessageAndETags()
    {
        var copy = (InconsistentStateException)RoundTrip(new InconsistentStateException("stale", "7", "6"));

        Assert.Equal(("stale", "7", "6"), (copy.Message, copy.StoredEtag, copy.CurrentEtag));
    }

    [Fact]
    public void Serializer_PartitionPlacementStrategy_RoundTrips()
    {
        Assert.IsType<PartitionPlacementStrategy>(RoundTrip(PartitionPlacementStrategy.Singleton));
    }

    private object RoundTrip(object value)
    {
        var serializer = silo.Inventory.Grains.ServiceProvider.GetRequiredService<Serializer>();
        return serializer.Deserialize<object>(serializer.SerializeToArray<object>(value)) ?? throw new InvalidOperationException($"{value} deserialized to null");
    }
}
