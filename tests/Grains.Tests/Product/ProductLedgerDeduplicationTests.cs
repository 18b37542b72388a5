using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class ProductLedgerDeduplicationTests
{
    private static readonly EventPosition Sales0 = new(Topics.Sales, 0, 0);

    [Fact]
    public void Apply_SameEventIdTwice_DuplicateAndNothingChanges()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 5), null, T0);
        var before = Persisted(ledger);

        var outcome = ledger.Apply(Receipt("e1", 5), null, T0.AddMinutes(1));

        Assert.Equal(OutcomeStatus.Duplicate, outcome.Status);
        Assert.Null(outcome.Reason);
        Assert.Equal(1, outcome.Version);
        Assert.Equal(before, Persisted(ledger));
    }

    [Fact]
    public void Apply_SameEventIdWithOtherContent_Duplicate()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 5), null, T0);

        var outcome = ledger.Apply(Sale("e1", 500), null, T0);

        Assert.Equal(OutcomeStatus.Duplicate, outcome.Status);
        Assert.Equal(5, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_RejectedEventRedelivered_Duplicate()
    {
        var ledger = NewLedger();
        Assert.Equal(OutcomeStatus.Rejected, ledger.Apply(Reserve("e1", "r1", 5), null, T0).Status);
        ledger.Apply(Receipt("e2", 10), null, T0);

        // Stock now suffices, but the same eventId keeps its answer: it was decided once.
        var outcome = ledger.Apply(Reserve("e1", "r1", 5), null, T0);

        Assert.Equal(OutcomeStatus.Duplicate, outcome.Status);
        Assert.Equal(0, ledger.ToStockView().Reserved);
        Assert.Equal(OutcomeStatus.Rejected, ledger.State.Window.First(s => s.EventId == "e1").Status);
    }

    [Fact]
    public void Apply_RedeliveredOffset_Duplicate()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 5), Sales0 with { Offset = 41 }, T0);
        ledger.Apply(Receipt("e2", 5), Sales0 with { Offset = 42 }, T0);
        var before = Persisted(ledger);

        var outcome = ledger.Apply(Receipt("e1", 5), Sales0 with { Offset = 41 }, T0);

        Assert.Equal(OutcomeStatus.Duplicate, outcome.Status);
        Assert.Equal(before, Persisted(ledger));
    }

    [Fact]
    public void Apply_OffsetAtOrBelowWatermarkWithNewEventId_Duplicate()
    {
        // After the window forgot an event, the offset watermark still recognises its redelivery.
        var ledger = NewLedger(windowSize: 1);
        ledger.Apply(Receipt("e1", 5), Sales0 with { Offset = 10 }, T0);
        ledger.Apply(Receipt("e2", 5), Sales0 with { Offset = 11 }, T0);

        var atWatermark = ledger.Apply(Receipt("e3", 5), Sales0 with { Offset = 11 }, T0);
        var belowWatermark = ledger.Apply(Receipt("e1", 5), Sales0 with { Offset = 10 }, T0);

        Assert.Equal(OutcomeStatus.Duplicate, atWatermark.Status);
        Assert.Equal(OutcomeStatus.Duplicate, belowWatermark.Status);
        Assert.Equal(10, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_SameOffsetOnOtherTopicPartition_Applied()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 5), new EventPosition(Topics.Sales, 0, 7), T0);

        var otherPartition = ledger.Apply(Receipt("e2", 5), new EventPosition(Topics.Sales, 1, 7), T0);
        var otherTopic = ledger.Apply(Receipt("e3", 5), new EventPosition(Topics.Events, 0, 7), T0);

        Assert.Equal(OutcomeStatus.Applied, otherPartition.Status);
        Assert.Equal(OutcomeStatus.Applied, otherTopic.Status);
        Assert.Equal(3, ledger.State.Offsets.Count);
        Assert.Equal(7, ledger.State.Offsets["inventory.sales/1"]);
    }

    [Fact]
    public void Apply_RejectedEvent_AdvancesOffsetWatermark()
    {
        var ledger = NewLedger();

        ledger.Apply(Release("e1", "unknown"), Sales0 with { Offset = 3 }, T0);

        Assert.Equal(3, ledger.State.Offsets["inventory.sales/0"]);
    }

    [Fact]
    public void Apply_DuplicateEventIdAtNewOffset_DoesNotAdvanceWatermark()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 5), Sales0 with { Offset = 3 }, T0);

        ledger.Apply(Receipt("e1", 5), Sales0 with { Offset = 4 }, T0);

        Assert.Equal(3, ledger.State.Offsets["inventory.sales/0"]);
        Assert.Equal(1, ledger.State.Version);
    }

    [Fact]
    public void Apply_WindowFull_EvictsOldestEventIdFirst()
    {
        var ledger = NewLedger(windowSize: 3);
        for (var i = 1; i <= 4; i++)
        {
            ledger.Apply(Receipt($"e{i}", 1), null, T0);
        }

        Assert.Equal(["e2", "e3", "e4"], ledger.State.Window.Select(s => s.EventId));
        Assert.Equal(OutcomeStatus.Duplicate, ledger.Apply(Receipt("e2", 1), null, T0).Status);
    }

    [Fact]
    public void Apply_EventIdEvictedFromWindow_AppliedAgain()
    {
        var ledger = NewLedger(windowSize: 2);
        ledger.Apply(Receipt("e1", 1), null, T0);
        ledger.Apply(Receipt("e2", 1), null, T0);
        ledger.Apply(Receipt("e3", 1), null, T0);

        var outcome = ledger.Apply(Receipt("e1", 1), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Equal(4, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_DuplicateOrDecided_MarksUnsavedChangesOnlyWhenDecided()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 1), null, T0);
        ledger.MarkSaved();

        ledger.Apply(Receipt("e1", 1), null, T0);
        var afterDuplicate = ledger.HasUnsavedChanges;
        ledger.Apply(Release("e2", "unknown"), null, T0);

        Assert.False(afterDuplicate);
        Assert.True(ledger.HasUnsavedChanges);
    }

    [Fact]
    public void ProductLedger_LoadedWindowLargerThanConfigured_KeepsNewestEntries()
    {
        var bigger = NewLedger(windowSize: 10);
        for (var i = 1; i <= 5; i++)
        {
            bigger.Apply(Receipt($"e{i}", 1), null, T0);
        }

        var smaller = new ProductLedger(ProductId, RoundTrip(bigger.State), windowSize: 2);

        Assert.Equal(["e4", "e5"], smaller.State.Window.Select(s => s.EventId));
        Assert.Equal(OutcomeStatus.Applied, smaller.Apply(Receipt("e1", 1), null, T0).Status);
        Assert.Equal(OutcomeStatus.Duplicate, smaller.Apply(Receipt("e5", 1), null, T0).Status);
    }

    [Fact]
    public void ProductLedger_StateRoundTrippedThroughJson_KeepsDuplicatesReservationsAndReconciliation()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), Sales0 with { Offset = 5 }, T0);
        ledger.Apply(Sale("e2", 3, T0.AddMinutes(2)), null, T0);
        ledger.Apply(Reserve("e3", "r1", 4, expiresAt: T0.AddHours(1)), null, T0);
        ledger.Apply(Snapshot("s1", 50, T0.AddMinutes(1)), null, T0);

        var reloaded = new ProductLedger(ProductId, RoundTrip(ledger.State), 10_000);

        Assert.Equal(ledger.ToStockView().Version, reloaded.ToStockView().Version);
        Assert.Equal(Persisted(ledger), Persisted(reloaded));
        Assert.Equal(T0.AddHours(1), reloaded.EarliestExpiry);
        Assert.Equal(OutcomeStatus.Duplicate, reloaded.Apply(Receipt("e2", 1), null, T0).Status);
        Assert.Equal(OutcomeStatus.Duplicate, reloaded.Apply(Receipt("new", 1), Sales0 with { Offset = 5 }, T0).Status);
        reloaded.Apply(Snapshot("s2", 100, T0.AddMinutes(1)), null, T0);
        Assert.Equal(97, reloaded.ToStockView().OnHand);
    }
}
