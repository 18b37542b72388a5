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
    public void Apply_RejectedEventIdInNewMessage_Duplicate()
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
    public void Apply_RedeliveredAppliedMessage_OriginalDecisionEvenAfterLaterEventsChangedTheVersion()
    {
        var ledger = NewLedger();
        var first = ledger.Apply(Receipt("e1", 5) with { CorrelationId = "c1" }, Sales0 with { Offset = 41 }, T0);
        ledger.Apply(Receipt("e2", 5), Sales0 with { Offset = 42 }, T0);
        ledger.Apply(Sale("e3", 1), null, T0);
        ledger.MarkSaved();
        var before = Persisted(ledger);

        var again = ledger.Apply(Receipt("e1", 5) with { CorrelationId = "c1" }, Sales0 with { Offset = 41 }, T0.AddHours(1));

        Assert.Equal(first, again);
        Assert.Equal(new EventOutcome("e1", ProductId, OutcomeStatus.Applied, null, 1, "c1", Sales0 with { Offset = 41 }), again);
        Assert.Equal(before, Persisted(ledger));
        Assert.False(ledger.HasUnsavedChanges);
        Assert.Equal(9, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_RedeliveredRejectedMessage_OriginalRejectionWithReasonAndVersion()
    {
        var ledger = NewLedger();
        var first = ledger.Apply(Reserve("e1", "r1", 5), Sales0 with { Offset = 10 }, T0);
        ledger.Apply(Receipt("e2", 10), Sales0 with { Offset = 11 }, T0);
        var before = Persisted(ledger);

        // Stock would suffice now: a redelivery must still repeat the first answer, not decide again.
        var again = ledger.Apply(Reserve("e1", "r1", 5), Sales0 with { Offset = 10 }, T0);

        Assert.Equal((OutcomeStatus.Rejected, RejectionReasons.InsufficientStock, 0L), (first.Status, first.Reason, first.Version));
        Assert.Equal(first, again);
        Assert.Equal(before, Persisted(ledger));
        Assert.Equal(0, ledger.ToStockView().Reserved);
    }

    [Fact]
    public void Apply_RedeliveredDuplicateMessage_RepeatsDuplicateWithItsOriginalVersion()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 1 }, T0);
        ledger.Apply(Receipt("e2", 1), Sales0 with { Offset = 2 }, T0);
        var duplicate = ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 3 }, T0);
        ledger.Apply(Receipt("e4", 1), Sales0 with { Offset = 4 }, T0);
        var before = Persisted(ledger);

        var duplicateAgain = ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 3 }, T0);
        var decisionAgain = ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 1 }, T0);

        Assert.Equal((OutcomeStatus.Duplicate, 2L), (duplicate.Status, duplicate.Version));
        Assert.Equal(duplicate, duplicateAgain);
        Assert.Equal((OutcomeStatus.Applied, 1L), (decisionAgain.Status, decisionAgain.Version));
        Assert.Equal(before, Persisted(ledger));
    }

    [Fact]
    public void Apply_DuplicatesOfOneEventIdAtSameOffsetOfTwoPartitions_EachRedeliveryRepeatsItsOwnVersion()
    {
        // Every partition counts offsets from 0, so two messages at one offset of different partitions are common.
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 1), new EventPosition(Topics.Events, 0, 0), T0);
        var onSales = ledger.Apply(Receipt("e1", 1), new EventPosition(Topics.Sales, 0, 7), T0);
        ledger.Apply(Receipt("e2", 1), new EventPosition(Topics.Events, 0, 1), T0);
        var onSnapshots = ledger.Apply(Receipt("e1", 1), new EventPosition(Topics.Snapshots, 0, 7), T0);
        ledger.Apply(Receipt("e3", 1), new EventPosition(Topics.Events, 0, 2), T0);

        var salesAgain = ledger.Apply(Receipt("e1", 1), new EventPosition(Topics.Sales, 0, 7), T0);
        var snapshotsAgain = ledger.Apply(Receipt("e1", 1), new EventPosition(Topics.Snapshots, 0, 7), T0);

        Assert.Equal((OutcomeStatus.Duplicate, 1L), (salesAgain.Status, salesAgain.Version));
        Assert.Equal(onSales, salesAgain);
        Assert.Equal((OutcomeStatus.Duplicate, 2L), (snapshotsAgain.Status, snapshotsAgain.Version));
        Assert.Equal(onSnapshots, snapshotsAgain);
    }

    [Fact]
    public void DecisionOf_EventIdDecidedBeforeInANewMessage_ThatMessagesOwnDuplicateNotTheFirstDecision()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 5), Sales0, T0);
        ledger.Apply(Receipt("e2", 1), Sales0 with { Offset = 1 }, T0);
        var repost = Sales0 with { Offset = 2 };
        Assert.Null(ledger.DecisionOf("e1", repost));
        Assert.False(ledger.IsRedelivery(repost));

        ledger.Apply(Receipt("e1", 5), repost, T0);

        Assert.Equal((OutcomeStatus.Applied, 1L), (ledger.DecisionOf("e1", Sales0)!.Status, ledger.DecisionOf("e1", Sales0)!.Version));
        Assert.Equal((OutcomeStatus.Duplicate, 2L), (ledger.DecisionOf("e1", repost)!.Status, ledger.DecisionOf("e1", repost)!.Version));
    }

    [Fact]
    public void DecisionOf_DecisionEvictedFromTheWindow_NullThoughTheMessageIsARedelivery()
    {
        var ledger = NewLedger(windowSize: 1);
        ledger.Apply(Receipt("e1", 5), Sales0, T0);
        ledger.Apply(Receipt("e2", 1), Sales0 with { Offset = 1 }, T0);

        Assert.Null(ledger.DecisionOf("e1", Sales0));
        Assert.True(ledger.IsRedelivery(Sales0));
        Assert.Equal(OutcomeStatus.Applied, ledger.DecisionOf("e2", Sales0 with { Offset = 1 })!.Status);
    }

    [Fact]
    public void Apply_RedeliveredAfterWindowEvictedIt_DuplicateAtCurrentVersion()
    {
        var ledger = NewLedger(windowSize: 2);
        ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 1 }, T0);
        ledger.Apply(Receipt("e2", 1), Sales0 with { Offset = 2 }, T0);
        ledger.Apply(Receipt("e3", 1), Sales0 with { Offset = 3 }, T0);
        var before = Persisted(ledger);

        var again = ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 1 }, T0);

        Assert.Equal(new EventOutcome("e1", ProductId, OutcomeStatus.Duplicate, null, 3, null, Sales0 with { Offset = 1 }), again);
        Assert.Equal(before, Persisted(ledger));
        Assert.Equal(3, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_RedeliveredDuplicateAfterWindowEvictedIt_DuplicateAtCurrentVersion()
    {
        var ledger = NewLedger(windowSize: 3);
        ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 1 }, T0);
        ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 2 }, T0);
        for (var i = 3; i <= 5; i++)
        {
            ledger.Apply(Receipt($"e{i}", 1), Sales0 with { Offset = i }, T0);
        }

        var again = ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 2 }, T0);

        Assert.Equal((OutcomeStatus.Duplicate, 4L), (again.Status, again.Version));
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
    public void Apply_DuplicateEventIdAtNewOffset_AdvancesWatermarkAndTakesWindowSlot()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 5), Sales0 with { Offset = 3 }, T0);
        ledger.MarkSaved();

        var outcome = ledger.Apply(Receipt("e1", 5), Sales0 with { Offset = 4 }, T0);

        Assert.Equal(new EventOutcome("e1", ProductId, OutcomeStatus.Duplicate, null, 1, null, Sales0 with { Offset = 4 }), outcome);
        Assert.Equal(4, ledger.State.Offsets["inventory.sales/0"]);
        var remembered = ledger.State.Window.Last();
        Assert.Equal(("e1", OutcomeStatus.Duplicate, 1L, Topics.Sales, 0, 4L), (remembered.EventId, remembered.Status, remembered.Version, remembered.Topic, remembered.Partition, remembered.Offset));
        Assert.Equal(2, ledger.State.Window.Count);
        Assert.Equal(1, ledger.State.Version);
        Assert.Equal(5, ledger.ToStockView().OnHand);
        Assert.True(ledger.HasUnsavedChanges);
    }

    [Fact]
    public void Apply_DuplicateWithoutPosition_NotRememberedAndNothingToSave()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 5), Sales0 with { Offset = 3 }, T0);
        ledger.MarkSaved();
        var before = Persisted(ledger);

        var outcome = ledger.Apply(Receipt("e1", 5), null, T0);

        Assert.Equal((OutcomeStatus.Duplicate, (EventPosition?)null), (outcome.Status, outcome.Position));
        Assert.Equal(before, Persisted(ledger));
        Assert.False(ledger.HasUnsavedChanges);
    }

    [Fact]
    public void Apply_DuplicateEntryOutlivesTheDecision_EventIdForgottenWithItsDecision()
    {
        // Decided: a Duplicate entry only answers its own message's redelivery. The eventId is remembered as long as
        // its decision is, so once the decision left the window a re-send is a new event, even while a Duplicate
        // entry of it is still in the window. (Otherwise a stream of re-sends would keep an eventId alive forever.)
        var ledger = NewLedger(windowSize: 2);
        ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 1 }, T0);
        var duplicate = ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 2 }, T0);
        ledger.Apply(Receipt("e2", 1), Sales0 with { Offset = 3 }, T0);

        var resent = ledger.Apply(Receipt("e1", 1), Sales0 with { Offset = 4 }, T0);

        Assert.Equal(OutcomeStatus.Duplicate, duplicate.Status);
        Assert.Equal((OutcomeStatus.Applied, 3L), (resent.Status, resent.Version));
        Assert.Equal(3, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_EveryKindOfAnswer_OutcomeCarriesTheMessagePosition()
    {
        var ledger = NewLedger();
        var at = new EventPosition(Topics.Events, 5, 100);

        var applied = ledger.Apply(Receipt("e1", 1), at, T0);
        var rejected = ledger.Apply(Release("e2", "unknown"), at with { Offset = 101 }, T0);
        var duplicate = ledger.Apply(Receipt("e1", 1), at with { Offset = 102 }, T0);
        var invalid = ledger.Apply(Sale("e3", -1), at with { Offset = 103 }, T0);
        var redelivered = ledger.Apply(Receipt("e1", 1), at, T0);
        var withoutPosition = ledger.Apply(Receipt("e4", 1), null, T0);

        Assert.Equal(at, applied.Position);
        Assert.Equal(at with { Offset = 101 }, rejected.Position);
        Assert.Equal(at with { Offset = 102 }, duplicate.Position);
        Assert.Equal(at with { Offset = 103 }, invalid.Position);
        Assert.Equal(at, redelivered.Position);
        Assert.Null(withoutPosition.Position);
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

    [Fact]
    public void ProductLedger_StateRoundTrippedWithSealedSegments_RedeliveriesGetTheirOriginalAnswers()
    {
        var ledger = new ProductLedger(ProductId, new ProductState { Window = new SeenEventWindow(segmentSize: 2) }, 10_000);
        var applied = ledger.Apply(Receipt("e1", 3, location: "dc"), Sales0 with { Offset = 1 }, T0);
        var rejected = ledger.Apply(Reserve("e2", "r1", 9), Sales0 with { Offset = 2 }, T0);
        var duplicate = ledger.Apply(Receipt("e1", 3), new EventPosition(Topics.Events, 4, 2), T0);
        ledger.Apply(Receipt("e4", 1), Sales0 with { Offset = 3 }, T0);
        ledger.Apply(Receipt("e5", 1), null, T0);

        var reloaded = new ProductLedger(ProductId, RoundTrip(ledger.State), 10_000);

        Assert.NotEmpty(reloaded.State.Window.OpenEntries);
        Assert.Equal(2, reloaded.State.Window.NextSegmentId);
        Assert.Equal(applied, reloaded.Apply(Receipt("e1", 3, location: "dc"), Sales0 with { Offset = 1 }, T0));
        Assert.Equal(rejected, reloaded.Apply(Reserve("e2", "r1", 9), Sales0 with { Offset = 2 }, T0));
        Assert.Equal(duplicate, reloaded.Apply(Receipt("e1", 3), new EventPosition(Topics.Events, 4, 2), T0));
        Assert.Equal(3, reloaded.ToStockView().Version);
    }
}
