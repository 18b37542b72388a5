using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// Realistic input streams: WMS snapshots (some late), POS sales and returns, web reservations with releases and
/// fulfilments, receipts and transfers, and a share of events sent twice with the same eventId (a retrying producer).
/// </summary>
public sealed class StreamGenerator(int products, double duplicateShare, double lateSnapshotShare, int seed = 7) : IEventStream
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<int, Queue<string>> _reservations = [];
    private readonly InventoryEvent[] _recent = new InventoryEvent[256];
    private long _sequence;

    /// <summary>The next event and the input topic it travels on.</summary>
    public (string Topic, InventoryEvent Event) Next(DateTimeOffset now)
    {
        var n = _sequence++;
        if (n > _recent.Length && _random.NextDouble() < duplicateShare)
        {
            var again = _recent[_random.Next(_recent.Length)];
            return (TopicOf(again), again);
        }

        var product = _random.Next(products);
        var productId = $"sku-{product}";
        var eventId = $"ev-{n}";
        var store = $"store-{product % 7}";
        var roll = _random.Next(100);
        var e = roll switch
        {
            < 10 => new InventoryEvent(eventId, InventoryEventType.Snapshot, productId, _random.Next(50, 500),
                _random.NextDouble() < lateSnapshotShare ? now.AddMinutes(-10) : now, "dc-1", Source: "WMS"),
            < 55 => new InventoryEvent(eventId, InventoryEventType.Sale, productId, _random.Next(1, 4), now, store, Source: "POS"),
            < 58 => new InventoryEvent(eventId, InventoryEventType.Return, productId, 1, now, store, Source: "POS"),
            < 68 => new InventoryEvent(eventId, InventoryEventType.Receipt, productId, _random.Next(10, 100), now, "dc-1", Source: "WMS"),
            < 72 => new InventoryEvent(eventId, InventoryEventType.TransferOut, productId, _random.Next(1, 20), now, "dc-1", Source: "WMS"),
            < 76 => new InventoryEvent(eventId, InventoryEventType.TransferIn, productId, _random.Next(1, 20), now, store, Source: "WMS"),
            < 88 => Reserve(product, eventId, productId, now),
            _ => EndReservation(product, eventId, productId, now, roll < 94),
        };
        _recent[n % _recent.Length] = e;
        return (TopicOf(e), e);
    }

    private InventoryEvent Reserve(int product, string eventId, string productId, DateTimeOffset now)
    {
        var reservationId = $"cart-{eventId}";
        if (!_reservations.TryGetValue(product, out var held))
        {
            held = new Queue<string>();
            _reservations[product] = held;
        }

        held.Enqueue(reservationId);
        return new InventoryEvent(eventId, InventoryEventType.Reservation, productId, _random.Next(1, 3), now, "web",
            reservationId, now.AddMinutes(15), "ECOMMERCE", reservationId);
    }

    private InventoryEvent EndReservation(int product, string eventId, string productId, DateTimeOffset now, bool release)
    {
        var reservationId = _reservations.TryGetValue(product, out var held) && held.Count > 0 ? held.Dequeue() : "cart-unknown";
        return release
            ? new InventoryEvent(eventId, InventoryEventType.ReservationRelease, productId, 0, now, "web", reservationId, Source: "ECOMMERCE", CorrelationId: reservationId)
            : new InventoryEvent(eventId, InventoryEventType.Fulfillment, productId, 1, now, "web", reservationId, Source: "ECOMMERCE", CorrelationId: reservationId);
    }

    public static string TopicOf(InventoryEvent e) => e.Type switch
    {
        InventoryEventType.Snapshot => Topics.Snapshots,
        InventoryEventType.Sale or InventoryEventType.Return => Topics.Sales,
        _ => Topics.Events,
    };
}
