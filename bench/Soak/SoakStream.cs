using InventoryOrleans.Bench.Pipeline;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Bench.Soak;

/// <summary>
/// The soak's input: <see cref="StreamGenerator"/>'s realistic mix over the catalog, and a share sent to a few hot
/// products whose stock hovers around the default low-stock threshold (10) — snapshots back to 8–14, small receipts,
/// sales and reservations that expire 2–8 s later — so expiry releases, low-stock crossings and their publications run
/// all the time on products that never stop receiving events.
/// </summary>
internal sealed class SoakStream(int products, int hotProducts, double hotShare, int seed = 11) : IEventStream
{
    private readonly StreamGenerator _catalog = new(products, duplicateShare: 0.02, lateSnapshotShare: 0.05, seed);
    private readonly Random _random = new(seed);
    private long _sequence;

    /// <summary>The ids of the hot products, which the soak's watchers favour.</summary>
    public static string HotProductId(int index) => $"hot-{index}";

    public (string Topic, InventoryEvent Event) Next(DateTimeOffset now)
    {
        if (_random.NextDouble() >= hotShare)
        {
            return _catalog.Next(now);
        }

        var productId = HotProductId(_random.Next(hotProducts));
        var eventId = $"soak-{_sequence++}";
        var roll = _random.Next(100);
        var e = roll switch
        {
            < 10 => new InventoryEvent(eventId, InventoryEventType.Snapshot, productId, _random.Next(8, 15), now, "dc-1", Source: "WMS"),
            < 30 => new InventoryEvent(eventId, InventoryEventType.Receipt, productId, _random.Next(1, 5), now, "dc-1", Source: "WMS"),
            < 65 => new InventoryEvent(eventId, InventoryEventType.Sale, productId, _random.Next(1, 3), now, "dc-1", Source: "POS"),
            _ => new InventoryEvent(eventId, InventoryEventType.Reservation, productId, 1, now, "web", $"cart-{eventId}",
                now.AddSeconds(_random.Next(2, 9)), "ECOMMERCE", $"cart-{eventId}"),
        };
        return (StreamGenerator.TopicOf(e), e);
    }
}
