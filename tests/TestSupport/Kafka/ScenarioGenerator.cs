using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.TestSupport.Kafka;

/// <summary>
/// Deterministic, realistic event streams for pipeline and cluster tests. Each product's events all travel on ONE
/// input topic: Kafka orders a product's events within a topic-partition but not across the three input topics, so
/// events of one product spread over topics would have no single expected result. Snapshot products get WMS counts
/// (some late, so stale), sales products POS sales and returns, the rest receipts, adjustments, transfers and
/// reservations with releases and fulfilments. No expiry falls due during a test (expiries lie in 2100), so a
/// replay through the reference model does not depend on the wall clock. A share of events is sent twice with the
/// same eventId (a producer retrying), later in the same stream.
/// </summary>
public static class ScenarioGenerator
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The events in send order (a duplicate is a repeated record).</summary>
    public static List<InventoryEvent> Generate(int products, int events, double duplicateShare, int seed, string productPrefix = "product")
    {
        var random = new Random(seed);
        var result = new List<InventoryEvent>(events);
        var reservations = new Dictionary<string, List<string>>();
        var sent = new List<InventoryEvent>();
        for (var i = 0; i < events; i++)
        {
            if (sent.Count > 0 && random.NextDouble() < duplicateShare)
            {
                result.Add(sent[random.Next(Math.Max(0, sent.Count - 500), sent.Count)]);
                continue;
            }

            var product = random.Next(products);
            var productId = $"{productPrefix}-{product}";
            var at = Epoch.AddSeconds(i).AddMilliseconds(random.Next(1000));
            var eventId = $"{productId}-e{i}";
            var location = random.Next(3) switch { 0 => "default", 1 => "store-1", _ => "dc-east" };
            var e = (product % 3) switch
            {
                0 => new InventoryEvent(eventId, InventoryEventType.Snapshot, productId, random.Next(0, 200),
                    random.NextDouble() < 0.15 ? at.AddHours(-1) : at, location, Source: "WMS"),
                1 => random.NextDouble() < 0.85
                    ? new InventoryEvent(eventId, InventoryEventType.Sale, productId, random.Next(1, 4), at, location, Source: "POS")
                    : new InventoryEvent(eventId, InventoryEventType.Return, productId, random.Next(1, 3), at, location, Source: "POS"),
                _ => OtherEvent(random, reservations, eventId, productId, at, location),
            };
            result.Add(e);
            sent.Add(e);
        }

        return result;
    }

    private static InventoryEvent OtherEvent(Random random, Dictionary<string, List<string>> reservations, string eventId, string productId, DateTimeOffset at, string location)
    {
        if (!reservations.TryGetValue(productId, out var held))
        {
            held = [];
            reservations[productId] = held;
        }

        var roll = random.Next(100);
        if (roll < 30)
        {
            return new InventoryEvent(eventId, InventoryEventType.Receipt, productId, random.Next(1, 50), at, location, Source: "WMS");
        }

        if (roll < 38)
        {
            var delta = random.Next(-5, 6);
            return new InventoryEvent(eventId, InventoryEventType.Adjustment, productId, delta == 0 ? 1 : delta, at, location, Source: "WMS");
        }

        if (roll < 46)
        {
            return new InventoryEvent(eventId, InventoryEventType.TransferOut, productId, random.Next(1, 10), at, location, Source: "WMS");
        }

        if (roll < 54)
        {
            return new InventoryEvent(eventId, InventoryEventType.TransferIn, productId, random.Next(1, 10), at, location, Source: "WMS");
        }

        if (roll < 80 || held.Count == 0)
        {
            var reservationId = $"r-{eventId}";
            held.Add(reservationId);
            DateTimeOffset? expiresAt = random.Next(2) == 0 ? new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero) : null;
            return new InventoryEvent(eventId, InventoryEventType.Reservation, productId, random.Next(1, 20), at, location,
                reservationId, expiresAt, "ECOMMERCE", $"cart-{eventId}");
        }

        // Sometimes an unknown or finished reservation: the rules reject it, which the test checks too.
        var id = random.Next(10) == 0 ? "r-unknown" : held[random.Next(held.Count)];
        return roll < 90
            ? new InventoryEvent(eventId, InventoryEventType.ReservationRelease, productId, 0, at, location, id, Source: "ECOMMERCE")
            : new InventoryEvent(eventId, InventoryEventType.Fulfillment, productId, random.Next(1, 10), at, location, id, Source: "ECOMMERCE");
    }
}
