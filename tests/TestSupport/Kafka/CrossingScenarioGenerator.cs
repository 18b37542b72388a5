using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.TestSupport.Kafka;

/// <summary>
/// Deterministic event streams whose products keep crossing their low-stock thresholds, for the alert tests. Each
/// product's first event sets its own threshold (a <c>LowStockThreshold</c> event, 3 to 30), later ones now and then
/// move it (0 to 40, a change that may cross by itself); otherwise an event pushes available stock to the other side
/// of the threshold most of the time (an adjustment down to or below it, a receipt above it, a reservation or its
/// release). Every event travels on <c>inventory.events</c> (one topic per product, as in
/// <see cref="ScenarioGenerator"/>); no reservation expires during a test. A share of events is sent twice with the
/// same eventId, later in the stream. The generator follows available stock only to aim; the reference model decides.
/// </summary>
public static class CrossingScenarioGenerator
{
    /// <summary>The events in send order (a duplicate is a repeated record).</summary>
    public static List<InventoryEvent> Generate(int products, int events, double duplicateShare, int seed, string productPrefix = "crossing")
    {
        var random = new Random(seed);
        var result = new List<InventoryEvent>(events);
        var aims = new Dictionary<string, Aim>(StringComparer.Ordinal);
        for (var i = 0; i < events; i++)
        {
            if (result.Count > 0 && random.NextDouble() < duplicateShare)
            {
                result.Add(result[random.Next(Math.Max(0, result.Count - 500), result.Count)]);
                continue;
            }

            var productId = $"{productPrefix}-{random.Next(products)}";
            var at = ScenarioGenerator.Epoch.AddSeconds(i);
            var eventId = $"{productId}-c{i}";
            if (!aims.TryGetValue(productId, out var aim))
            {
                aim = new Aim { Threshold = random.Next(3, 31) };
                aims.Add(productId, aim);
                result.Add(new InventoryEvent(eventId, InventoryEventType.LowStockThreshold, productId, aim.Threshold, at, Source: "API"));
                continue;
            }

            result.Add(Next(random, aim, eventId, productId, at));
        }

        return result;
    }

    private static InventoryEvent Next(Random random, Aim aim, string eventId, string productId, DateTimeOffset at)
    {
        var roll = random.Next(100);
        if (roll < 10)
        {
            aim.Threshold = random.Next(0, 41);
            return new InventoryEvent(eventId, InventoryEventType.LowStockThreshold, productId, aim.Threshold, at, Source: "API");
        }

        if (roll < 25 && aim.Available > 0)
        {
            var quantity = random.Next(1, (int)Math.Min(aim.Available, 20) + 1);
            var reservationId = $"r-{eventId}";
            aim.Held.Add((reservationId, quantity));
            aim.Available -= quantity;
            return new InventoryEvent(eventId, InventoryEventType.Reservation, productId, quantity, at, ReservationId: reservationId, Source: "ECOMMERCE");
        }

        if (roll < 35 && aim.Held.Count > 0)
        {
            var index = random.Next(aim.Held.Count);
            var (reservationId, quantity) = aim.Held[index];
            aim.Held.RemoveAt(index);
            aim.Available += quantity;
            return new InventoryEvent(eventId, InventoryEventType.ReservationRelease, productId, 0, at, ReservationId: reservationId, Source: "ECOMMERCE");
        }

        // Across the threshold, a little past it: down by an adjustment, up by a receipt.
        var past = random.Next(0, 4);
        if (aim.Available > aim.Threshold)
        {
            var down = aim.Available - aim.Threshold + past;
            aim.Available -= down;
            return new InventoryEvent(eventId, InventoryEventType.Adjustment, productId, -down, at, Source: "WMS");
        }

        var up = aim.Threshold - aim.Available + 1 + past;
        aim.Available += up;
        return new InventoryEvent(eventId, InventoryEventType.Receipt, productId, up, at, Source: "WMS");
    }

    private sealed class Aim
    {
        public long Threshold { get; set; }

        public long Available { get; set; }

        public List<(string ReservationId, long Quantity)> Held { get; } = [];
    }
}
