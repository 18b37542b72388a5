using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

/// <summary>docs/CONTRACTS.md "Low stock": one alert per crossing of the threshold, in either direction.</summary>
public sealed class ProductLedgerLowStockTests
{
    private static ProductLedger Ledger(long threshold) => new(ProductId, new ProductState(), 10_000, threshold);

    private static EventOutcome Apply(ProductLedger ledger, InventoryEvent e) => ledger.Apply(e, null, T0);

    // One batch as the grain applies it: the events at their positions.
    private static void Batch(ProductLedger ledger, params (InventoryEvent Event, EventPosition Position)[] events)
    {
        foreach (var (e, at) in events)
        {
            ledger.Apply(e, at, T0);
        }
    }

    // The next offsets of one input topic-partition.
    private sealed class Offsets(string topic, int partition)
    {
        private long _next;

        public EventPosition Next() => new(topic, partition, _next++);
    }

    [Fact]
    public void Apply_FirstStockAtOrBelowThreshold_RaisesLowWithTheChangesAvailableThresholdAndVersion()
    {
        var ledger = Ledger(threshold: 5);

        Apply(ledger, Receipt("r1", 3));

        var alert = Assert.Single(ledger.TakeAlerts());
        Assert.Equal(new LowStockAlert(ProductId, 3, 5, LowStockState.Low, 1, T0), alert);
        Assert.True(ledger.ToStockView().LowStock);
        Assert.Equal(5, ledger.ToStockView().LowStockThreshold);
    }

    [Fact]
    public void Apply_FirstStockAboveThreshold_RaisesNothing()
    {
        var ledger = Ledger(threshold: 5);

        Apply(ledger, Receipt("r1", 10));

        Assert.Empty(ledger.TakeAlerts());
        Assert.False(ledger.ToStockView().LowStock);
    }

    [Fact]
    public void Apply_CrossingDownThenUp_OneLowThenOneRecoveredAndNothingWhileOnOneSide()
    {
        var ledger = Ledger(threshold: 5);
        Apply(ledger, Receipt("r1", 10));

        Apply(ledger, Sale("s1", 2));
        Apply(ledger, Sale("s2", 3));
        Apply(ledger, Sale("s3", 1));
        Apply(ledger, Receipt("r2", 1));
        Apply(ledger, Receipt("r3", 2));

        Assert.Equal(
            [(LowStockState.Low, 5L, 3L), (LowStockState.Recovered, 7L, 6L)],
            ledger.TakeAlerts().Select(a => (a.State, a.Available, a.Version)));
        Assert.Empty(ledger.TakeAlerts());
    }

    [Fact]
    public void Apply_ReservationTakesAvailableToThreshold_Low()
    {
        var ledger = Ledger(threshold: 5);
        Apply(ledger, Receipt("r1", 10));

        Apply(ledger, Reserve("res", "R1", 6));

        var alert = Assert.Single(ledger.TakeAlerts());
        Assert.Equal((LowStockState.Low, 4L, 2L), (alert.State, alert.Available, alert.Version));
    }

    [Fact]
    public void Apply_RejectedOrDuplicateEvents_NeverRaise()
    {
        var ledger = Ledger(threshold: 5);
        Apply(ledger, Receipt("r1", 10));

        Apply(ledger, Reserve("res", "R1", 11));
        Apply(ledger, Receipt("r1", 10));

        Assert.Empty(ledger.TakeAlerts());
    }

    [Fact]
    public void Apply_ProductsOwnThreshold_SetByEventJudgesTheChangeAndLaterOnes()
    {
        var ledger = Ledger(threshold: 5);
        Apply(ledger, Receipt("r1", 8));

        var set = Apply(ledger, Event("t1", InventoryEventType.LowStockThreshold, 8));
        Apply(ledger, Event("t2", InventoryEventType.LowStockThreshold, 2));

        Assert.Equal((OutcomeStatus.Applied, 2L), (set.Status, set.Version));
        Assert.Equal(
            [(LowStockState.Low, 8L, 8L, 2L), (LowStockState.Recovered, 8L, 2L, 3L)],
            ledger.TakeAlerts().Select(a => (a.State, a.Available, a.Threshold, a.Version)));
        Assert.Equal(2, ledger.State.LowStockThreshold);
        Assert.Equal(2, ledger.ToStockView().LowStockThreshold);
    }

    [Fact]
    public void Apply_NegativeThreshold_RejectedInvalidEventAndNothingChanges()
    {
        var ledger = Ledger(threshold: 5);

        var outcome = Apply(ledger, Event("t1", InventoryEventType.LowStockThreshold, -1));

        Assert.Equal((OutcomeStatus.Rejected, RejectionReasons.InvalidEvent), (outcome.Status, outcome.Reason));
        Assert.Null(ledger.State.LowStockThreshold);
    }

    [Fact]
    public void ReleaseExpired_ReleaseLiftsAvailableAboveThreshold_Recovered()
    {
        var ledger = Ledger(threshold: 5);
        Apply(ledger, Receipt("r1", 10));
        Apply(ledger, Reserve("res", "R1", 8, expiresAt: T0.AddMinutes(1)));
        _ = ledger.TakeAlerts();

        ledger.ReleaseExpired(T0.AddMinutes(2));

        var alert = Assert.Single(ledger.TakeAlerts());
        Assert.Equal((LowStockState.Recovered, 10L, 3L, T0.AddMinutes(2)), (alert.State, alert.Available, alert.Version, alert.At));
    }

    [Fact]
    public void Apply_ABatchCrossingTwentyTimes_KeepsAllTwentyUntilPublished()
    {
        var ledger = Ledger(threshold: 0);
        var events = new Offsets(Topics.Events, 3);
        Batch(ledger, (Receipt("start", 1), events.Next()));

        Batch(ledger, [.. Enumerable.Range(0, 10).SelectMany(i => new[] { (Sale($"s{i}", 1), events.Next()), (Receipt($"r{i}", 1), events.Next()) })]);

        Assert.Equal(20, ledger.TakeAlerts().Count);
        Assert.Equal(Enumerable.Range(2, 20).Select(v => (long)v), ledger.State.RecentAlerts.Select(a => a.Version));
    }

    [Fact]
    public void State_RoundTripped_KeepsLowFlagThresholdAndRecentAlerts()
    {
        var ledger = Ledger(threshold: 5);
        Apply(ledger, Event("t", InventoryEventType.LowStockThreshold, 4));
        Apply(ledger, Receipt("r1", 3));

        var back = new ProductLedger(ProductId, RoundTrip(ledger.State), 10_000, 5);

        Assert.True(back.State.LowStock);
        Assert.Equal(4, back.Threshold);
        Assert.Equal(ledger.State.RecentAlerts, back.State.RecentAlerts);
    }
}
