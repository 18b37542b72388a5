using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.TestSupport.Reference;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

/// <summary>
/// Replays thousands of random event sequences (fixed seeds) through the ledger and through the independent
/// <see cref="InventoryReferenceModel"/>; every outcome (status, reason, version) and every stock must agree. Sequences
/// mix in producer re-sends (same eventId, new offset), single redeliveries (same offset), replays of a suffix of the
/// messages read so far (a batch consumed again after a crash), late and stale snapshots, expiries, invalid events and
/// state reloads through JSON with the window in sealed segments. A quarter of the sequences start from a stored state
/// whose counts are at, near or beyond ±(2^53 − 1) (as stored before counts were checked), so Overflow is decided often.
/// </summary>
public sealed class ProductLedgerRandomizedTests
{
    private const int SequencesPerBlock = 750;

    private const long CountLimit = 9_007_199_254_740_991;

    private static readonly string[] Locations = ["default", "store-1", "dc", ""];
    private static readonly string[] InputTopics = [Topics.Snapshots, Topics.Sales, Topics.Events];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Apply_RandomSequences_AgreesWithReferenceModel(int block)
    {
        var redeliveredDecisions = 0;
        var overflows = 0;
        for (var seed = block * SequencesPerBlock; seed < (block + 1) * SequencesPerBlock; seed++)
        {
            var (redelivered, overflowed) = RunSequence(seed);
            redeliveredDecisions += redelivered;
            overflows += overflowed;
        }

        // The sequences must exercise the rule that matters most: a redelivery answered with its first decision
        // (Applied or Rejected), which a ledger answering Duplicate to every redelivery would fail.
        Assert.True(redeliveredDecisions > 20 * SequencesPerBlock, $"only {redeliveredDecisions} redeliveries were answered with a decision");

        // And the count limit, from both sides: a ledger that never checked counts would fail here.
        Assert.True(overflows > SequencesPerBlock / 4, $"only {overflows} events were rejected as Overflow");
    }

    // Returns how many redeliveries the model answered with their first decision (Applied or Rejected), and how many
    // events it rejected as Overflow.
    private static (int RedeliveredDecisions, int Overflows) RunSequence(int seed)
    {
        var random = new Random(seed);
        var windowSize = random.Next(4) == 0 ? 10_000 : random.Next(1, 24);
        // Small segments, so sealing, partial eviction and dropping happen in short sequences too.
        var segmentSize = windowSize == 10_000 ? SeenEventWindow.DefaultSegmentSize : 1 + (seed % 7);
        var state = new ProductState { Window = new SeenEventWindow(segmentSize) };
        var model = new InventoryReferenceModel(windowSize);
        if (seed % 4 == 3)
        {
            StartNearTheCountLimit(new Random(~seed), state, model);
        }

        var ledger = new ProductLedger(ProductId, state, windowSize);
        var delivered = new List<(InventoryEvent Event, EventPosition? Position)>();
        // Every message read from a topic, once, in the order it was first read: what a replay after a crash reads again.
        var messages = new List<(InventoryEvent Event, EventPosition Position)>();
        var redeliveredDecisions = 0;
        var overflows = 0;
        var usedTimes = new List<DateTimeOffset>();
        var nextOffset = new long[InputTopics.Length * 2];
        var now = T0;
        // Formatted only when a check fails: formatting every step would dominate the run time.
        var log = new List<object>();
        var steps = random.Next(20, 160);

        for (var step = 0; step < steps; step++)
        {
            now = now.AddSeconds(random.Next(0, 240));
            var roll = random.Next(100);

            if (roll < 3)
            {
                // The grain reloads from storage: everything it needs must survive JSON.
                ledger = new ProductLedger(ProductId, RoundTrip(ledger.State), windowSize);
                log.Add("reload");
                var window = ledger.State.Window.Select(w => w.EventId).ToList();
                var modelWindow = model.WindowEventIds(ProductId);
                Check(seed, step, log, window.SequenceEqual(modelWindow), () => $"window [{string.Join(',', window)}], model [{string.Join(',', modelWindow)}]");
                continue;
            }

            if (roll < 8)
            {
                var released = ledger.ReleaseExpired(now);
                var expected = model.ReleaseExpired(ProductId, now);
                log.Add(("expire", now, released));
                Check(seed, step, log, expected.SequenceEqual(released), () => $"released [{string.Join(',', released)}], model [{string.Join(',', expected)}]");
                CompareStock(seed, step, log, ledger, model);
                continue;
            }

            if (roll < 12 && messages.Count > 0)
            {
                // A batch consumed again after a crash: every message from some point on, in order, at its own offset.
                var from = random.Next(Math.Max(0, messages.Count - 40), messages.Count);
                log.Add(("replay from", from));
                foreach (var (message, at) in messages.Skip(from).ToList())
                {
                    var expected = ApplyAndCompare(seed, step, log, ledger, model, message, at, now);
                    overflows += expected.Reason == RejectionReasons.Overflow ? 1 : 0;
                    if (expected.Status != OutcomeStatus.Duplicate)
                    {
                        redeliveredDecisions++;
                    }
                }

                continue;
            }

            InventoryEvent e;
            EventPosition? position;
            var isRedelivery = false;
            if (roll < 18 && delivered.Count > 0)
            {
                // Redelivery after a crash: the same message at the same offset.
                (e, position) = delivered[random.Next(delivered.Count)];
                isRedelivery = position is not null;
            }
            else if (roll < 26 && delivered.Count > 0)
            {
                // A producer sent the event twice: same eventId, a new offset.
                e = delivered[random.Next(delivered.Count)].Event;
                position = NextPosition(random, nextOffset);
            }
            else
            {
                e = RandomEvent(random, $"e{step}", now, usedTimes);
                position = random.Next(5) == 0 ? null : NextPosition(random, nextOffset);
            }

            delivered.Add((e, position));
            if (position is { } read && !isRedelivery)
            {
                messages.Add((e, read));
            }

            var reference = ApplyAndCompare(seed, step, log, ledger, model, e, position, now);
            overflows += reference.Reason == RejectionReasons.Overflow ? 1 : 0;
            if (isRedelivery && reference.Status != OutcomeStatus.Duplicate)
            {
                redeliveredDecisions++;
            }
        }

        return (redeliveredDecisions, overflows);
    }

    private static ReferenceOutcome ApplyAndCompare(
        int seed, int step, List<object> log, ProductLedger ledger, InventoryReferenceModel model, InventoryEvent e, EventPosition? position, DateTimeOffset now)
    {
        var outcome = ledger.Apply(e, position, now);
        var reference = position is { } p
            ? model.Apply(e, p.Topic, p.Partition, p.Offset, now)
            : model.Apply(e, now);
        log.Add((e, position, now, outcome));

        Check(
            seed,
            step,
            log,
            outcome.Status == reference.Status && outcome.Reason == reference.Reason && outcome.Version == reference.Version
                && outcome.EventId == e.EventId && outcome.CorrelationId == e.CorrelationId && outcome.Position == position,
            () => $"ledger {outcome.Status}/{outcome.Reason}/v{outcome.Version}, model {reference.Status}/{reference.Reason}/v{reference.Version}");
        CompareStock(seed, step, log, ledger, model);
        return reference;
    }

    private static InventoryEvent RandomEvent(Random random, string eventId, DateTimeOffset now, List<DateTimeOffset> usedTimes)
    {
        var type = (InventoryEventType)random.Next(10);
        var quantity = (long)random.Next(0, 12);
        if (type == InventoryEventType.Adjustment)
        {
            quantity = random.Next(2) == 0 ? quantity + 1 : -(quantity + 1);
        }
        else if (type == InventoryEventType.Snapshot)
        {
            quantity = random.Next(0, 60);
        }

        string? reservationId = $"r{random.Next(5)}";
        DateTimeOffset? expiresAt = random.Next(3) == 0 ? null : now.AddSeconds(random.Next(-60, 900));
        var occurredAt = now.AddSeconds(random.Next(-1800, 60));
        if (random.Next(5) == 0 && usedTimes.Count > 0)
        {
            // Ties and one-tick differences probe the strict "older" and "later" comparisons.
            occurredAt = usedTimes[random.Next(usedTimes.Count)].AddTicks(random.Next(-1, 2));
        }

        usedTimes.Add(occurredAt);

        // Bad input that passed the door: the ledger must reject it and change nothing.
        switch (random.Next(40))
        {
            case 4:
                // At the quantity bound: valid, and a long step toward the count limit.
                quantity = type == InventoryEventType.Adjustment && random.Next(2) == 0 ? -1_000_000_000 : 1_000_000_000;
                break;
            case 5:
                // Beyond it: invalid whatever the type, but for ReservationRelease, which ignores its quantity.
                quantity = random.Next(3) switch { 0 => 1_000_000_001, 1 => long.MaxValue, _ => -1_000_000_001 };
                break;
            case 0:
                quantity = -1 - random.Next(5);
                break;
            case 1:
                type = InventoryEventType.Adjustment;
                quantity = 0;
                break;
            case 2:
                reservationId = random.Next(2) == 0 ? null : "";
                break;
            case 3:
                type = (InventoryEventType)(10 + random.Next(3));
                break;
        }

        return new InventoryEvent(
            eventId,
            type,
            ProductId,
            quantity,
            occurredAt,
            Locations[random.Next(Locations.Length)],
            reservationId,
            expiresAt,
            CorrelationId: $"c-{eventId}");
    }

    // The same stored state for both: each of a few locations, in-transit and one reservation (r0, which the random
    // events release and fulfil) either ordinary or a few units from the limit, on either side of it.
    private static void StartNearTheCountLimit(Random random, ProductState state, InventoryReferenceModel model)
    {
        long NearTheLimit() => random.Next(4) switch
        {
            0 => random.Next(0, 60),
            1 => CountLimit - random.Next(0, 30),
            2 => -(CountLimit - random.Next(0, 30)),
            _ => CountLimit + random.Next(1, 30),
        };

        var onHand = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var location in new[] { "default", "store-1", "dc" })
        {
            if (random.Next(3) != 0)
            {
                onHand[location] = NearTheLimit();
            }
        }

        var inTransit = random.Next(2) == 0 ? 0 : Math.Abs(NearTheLimit());
        var reservations = new List<(string Id, long Remaining, DateTimeOffset? ExpiresAt)>();
        if (random.Next(2) == 0)
        {
            reservations.Add(("r0", Math.Abs(NearTheLimit()), random.Next(2) == 0 ? null : T0.AddSeconds(random.Next(0, 3600))));
        }

        model.StartFrom(ProductId, onHand, inTransit, reservations);
        state.OnHand = onHand;
        state.InTransit = inTransit;
        foreach (var (id, remaining, expiresAt) in reservations)
        {
            state.Reservations[id] = new ReservationHold { Remaining = remaining, ExpiresAt = expiresAt };
            state.Reserved += remaining;
        }
    }

    private static EventPosition NextPosition(Random random, long[] nextOffset)
    {
        var index = random.Next(nextOffset.Length);
        return new EventPosition(InputTopics[index / 2], index % 2, nextOffset[index]++);
    }

    private static void CompareStock(int seed, int step, List<object> log, ProductLedger ledger, InventoryReferenceModel model)
    {
        var actual = ledger.ToStockView();
        var expected = model.Stock(ProductId);
        var same = actual.OnHand == expected.OnHand
            && actual.Reserved == expected.Reserved
            && actual.InTransit == expected.InTransit
            && actual.Available == expected.Available
            && actual.Version == expected.Version
            && actual.LastEventId == expected.LastEventId
            && actual.Locations.Count == expected.Locations.Count
            && actual.Locations.All(l => expected.Locations.TryGetValue(l.Key, out var v) && v == l.Value);
        Check(seed, step, log, same, () => $"stock {Describe(actual)}, model {expected}");

        // Low stock (default threshold 10 in both): the flag, and the alerts the state keeps until they are published
        // (all of them: nothing is published here).
        var alerts = ledger.State.RecentAlerts.Select(a => new ReferenceAlert(a.State, a.Available, a.Threshold, a.Version)).ToList();
        var expectedAlerts = model.Alerts(ProductId).ToList();
        Check(seed, step, log, actual.LowStock == model.IsLow(ProductId) && alerts.SequenceEqual(expectedAlerts), () => $"low {actual.LowStock} alerts [{string.Join(", ", alerts)}], model low {model.IsLow(ProductId)} [{string.Join(", ", expectedAlerts)}]");
    }

    private static string Describe(StockView s) =>
        $"onHand {s.OnHand} reserved {s.Reserved} inTransit {s.InTransit} v{s.Version} last {s.LastEventId} [{string.Join(", ", s.Locations.Select(l => $"{l.Key}={l.Value}"))}]";

    private static void Check(int seed, int step, List<object> log, bool agrees, Func<string> detail)
    {
        if (!agrees)
        {
            Assert.Fail($"Seed {seed}, step {step}: {detail()}{Environment.NewLine}{string.Join(Environment.NewLine, log)}");
        }
    }
}
