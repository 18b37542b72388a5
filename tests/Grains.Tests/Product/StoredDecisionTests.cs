using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

/// <summary>The rollback check's question to a stored state: does it hold the decision about this message?</summary>
public sealed class StoredDecisionTests
{
    private const int Window = 10;

    [Fact]
    public void Holds_MessageDecidedAndStored_True()
    {
        var ledger = NewLedger(Window);
        Apply(ledger, Topics.Sales, 3, "s-3");
        Apply(ledger, Topics.Events, 3, "e-3");

        Assert.True(StoredDecision.Holds(ledger.State, "s-3", At(Topics.Sales, 3), Window));
        Assert.True(StoredDecision.Holds(ledger.State, "e-3", At(Topics.Events, 3), Window));
    }

    [Fact]
    public void Holds_RejectedOrDuplicateMessage_TrueAsForAnAppliedOne()
    {
        var ledger = NewLedger(Window);
        Apply(ledger, Topics.Sales, 1, "s-1");
        ledger.Apply(Release("r-2", "unknown"), At(Topics.Events, 2), T0);
        Apply(ledger, Topics.Events, 3, "s-1");

        Assert.True(StoredDecision.Holds(ledger.State, "r-2", At(Topics.Events, 2), Window));
        Assert.True(StoredDecision.Holds(ledger.State, "s-1", At(Topics.Events, 3), Window));
    }

    [Fact]
    public void Holds_StoredStateBehindTheMessage_False()
    {
        var ledger = NewLedger(Window);
        Apply(ledger, Topics.Sales, 3, "s-3");

        Assert.False(StoredDecision.Holds(ledger.State, "s-7", At(Topics.Sales, 7), Window));
        Assert.False(StoredDecision.Holds(ledger.State, "e-1", At(Topics.Events, 1), Window));
    }

    [Fact]
    public void Holds_LostThenNewerMessagesOfItsPartitionAppliedOnTop_False()
    {
        // Storage went back to before offset 5; the ingest went on at 9: the watermark passed 5, the decision never came.
        var ledger = NewLedger(Window);
        Apply(ledger, Topics.Sales, 3, "s-3");
        Apply(ledger, Topics.Sales, 9, "s-9");

        Assert.False(StoredDecision.Holds(ledger.State, "s-5", At(Topics.Sales, 5), Window));
    }

    [Fact]
    public void Holds_LostWithNothingOlderOfItsPartitionInAWindowThatNeverEvicted_False()
    {
        var ledger = NewLedger(Window);
        Apply(ledger, Topics.Events, 1, "e-1");
        Apply(ledger, Topics.Sales, 9, "s-9");

        Assert.False(StoredDecision.Holds(ledger.State, "s-5", At(Topics.Sales, 5), Window));
    }

    [Fact]
    public void Holds_EvictedFromAFullWindow_True()
    {
        var ledger = NewLedger(Window);
        Apply(ledger, Topics.Sales, 5, "s-5");
        for (var offset = 0; offset < Window; offset++)
        {
            Apply(ledger, Topics.Events, offset, $"e-{offset}");
        }

        Assert.DoesNotContain(ledger.State.Window, s => s.EventId == "s-5");
        Assert.True(StoredDecision.Holds(ledger.State, "s-5", At(Topics.Sales, 5), Window));
    }

    [Fact]
    public void Holds_PositionHeldWithAnotherEventId_False()
    {
        var ledger = NewLedger(Window);
        Apply(ledger, Topics.Sales, 3, "s-3");

        Assert.False(StoredDecision.Holds(ledger.State, "other", At(Topics.Sales, 3), Window));
    }

    [Fact]
    public void Holds_StateReadBackThroughItsSegments_SameAnswers()
    {
        var ledger = new ProductLedger(ProductId, new ProductState { Window = new SeenEventWindow(segmentSize: 2) }, Window);
        for (var offset = 0; offset < 6; offset++)
        {
            Apply(ledger, Topics.Sales, offset, $"s-{offset}");
        }

        var stored = RoundTrip(ledger.State);

        Assert.True(StoredDecision.Holds(stored, "s-1", At(Topics.Sales, 1), Window));
        Assert.False(StoredDecision.Holds(stored, "s-7", At(Topics.Sales, 7), Window));
    }

    private static EventPosition At(string topic, long offset) => new(topic, 0, offset);

    private static void Apply(ProductLedger ledger, string topic, long offset, string eventId) =>
        ledger.Apply(Receipt(eventId, 1), At(topic, offset), T0);
}
