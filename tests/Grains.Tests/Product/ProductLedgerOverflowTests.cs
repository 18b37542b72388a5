using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

/// <summary>
/// docs/CONTRACTS.md "Counts are checked": quantities beyond 1,000,000,000 are invalid, and an event that would take on-hand
/// (at a location or in all), reserved or in-transit beyond ±(2^53 − 1) is Rejected Overflow and changes no count and no
/// version. With quantities bounded, counts near the limit come from states stored before either check existed, so
/// these tests start from such states.
/// </summary>
public sealed class ProductLedgerOverflowTests
{
    private const long Max = 9_007_199_254_740_991;

    private static readonly EventPosition Position = new(Topics.Events, 0, 7);

    [Theory]
    [InlineData(InventoryEventType.Sale, long.MaxValue)]
    [InlineData(InventoryEventType.Receipt, 1_000_000_001)]
    [InlineData(InventoryEventType.Snapshot, 1_000_000_001)]
    [InlineData(InventoryEventType.TransferOut, 1_000_000_001)]
    [InlineData(InventoryEventType.Reservation, 1_000_000_001)]
    [InlineData(InventoryEventType.LowStockThreshold, 1_000_000_001)]
    [InlineData(InventoryEventType.Adjustment, -1_000_000_001)]
    [InlineData(InventoryEventType.Adjustment, long.MinValue)]
    public void Apply_QuantityBeyondTheBound_RejectedInvalidEventAndNothingChanges(InventoryEventType type, long quantity)
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.MarkSaved();
        var before = Persisted(ledger);

        var outcome = ledger.Apply(Event("big", type, quantity, reservationId: "r1"), Position, T0);

        Assert.Equal((OutcomeStatus.Rejected, RejectionReasons.InvalidEvent, 1L), (outcome.Status, outcome.Reason, outcome.Version));
        Assert.Equal(before, Persisted(ledger));
    }

    [Fact]
    public void Apply_TwoSalesOfTheLargestLong_NeitherApplied()
    {
        // The case: unchecked, the second sale wrapped on-hand around to 2.
        var ledger = NewLedger();

        ledger.Apply(Sale("s1", long.MaxValue), null, T0);
        ledger.Apply(Sale("s2", long.MaxValue), null, T0);

        Assert.Equal((0L, 0L), (ledger.ToStockView().OnHand, ledger.ToStockView().Version));
    }

    [Theory]
    [InlineData(1_000_000_000)]
    [InlineData(-1_000_000_000)]
    public void Apply_AdjustmentAtTheBound_Applied(long quantity)
    {
        var ledger = NewLedger();

        var outcome = ledger.Apply(Event("adj", InventoryEventType.Adjustment, quantity), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Equal(quantity, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_ReceiptUpToTheLimit_Applied()
    {
        var ledger = Stored(onHand: new() { ["default"] = Max - 6 });

        var outcome = ledger.Apply(Receipt("e1", 6), Position, T0);

        Assert.Equal((OutcomeStatus.Applied, 1L), (outcome.Status, outcome.Version));
        Assert.Equal(Max, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_ReceiptBeyondTheLimitAtItsLocation_RejectedOverflowAndNothingChanges()
    {
        var ledger = Stored(onHand: new() { ["default"] = Max - 5 });

        AssertOverflow(ledger, Receipt("e1", 6));
    }

    [Fact]
    public void Apply_SaleBelowMinusTheLimit_RejectedOverflow()
    {
        var ledger = Stored(onHand: new() { ["store-7"] = -Max });

        AssertOverflow(ledger, Sale("e1", 1, location: "store-7"));
    }

    [Fact]
    public void Apply_ReceiptTakingTheProductTotalBeyondTheLimit_RejectedOverflowThoughItsLocationFits()
    {
        var ledger = Stored(onHand: new() { ["dc"] = Max - 10 });

        AssertOverflow(ledger, Receipt("e1", 11, location: "store-1"));
    }

    [Fact]
    public void Apply_TransferOutBeyondTheInTransitLimit_RejectedOverflowAndOnHandKept()
    {
        var ledger = Stored(onHand: new() { ["dc"] = 100 }, inTransit: Max - 2);

        AssertOverflow(ledger, Event("out", InventoryEventType.TransferOut, 3, location: "dc"));
    }

    [Fact]
    public void Apply_TransferInBeyondTheOnHandLimit_RejectedOverflowAndInTransitKept()
    {
        var ledger = Stored(onHand: new() { ["store-1"] = Max }, inTransit: 50);

        AssertOverflow(ledger, Event("in", InventoryEventType.TransferIn, 1, location: "store-1"));
    }

    [Fact]
    public void Apply_ReservationBeyondTheReservedLimit_RejectedOverflow()
    {
        // Two locations at the limit hold more than can be reserved: the stock suffices, the count does not.
        var ledger = Stored(onHand: new() { ["a"] = Max, ["b"] = Max }, reservations: new() { ["big"] = Max - 1 });

        AssertOverflow(ledger, Reserve("e1", "r1", 2));
        Assert.False(ledger.State.Reservations.ContainsKey("r1"));
    }

    [Fact]
    public void Apply_FulfillmentBelowMinusTheOnHandLimit_RejectedOverflowAndTheReservationKept()
    {
        var ledger = Stored(onHand: new() { ["default"] = -Max + 2 }, reservations: new() { ["r1"] = 5 });

        AssertOverflow(ledger, Fulfill("e1", "r1", 3));
        Assert.Equal(5, ledger.State.Reservations["r1"].Remaining);
    }

    [Fact]
    public void Apply_SnapshotTakingTheProductTotalBeyondTheLimit_RejectedOverflowAndNotRecordedAsTheLastSnapshot()
    {
        var ledger = Stored(onHand: new() { ["dc"] = Max - 10 });

        AssertOverflow(ledger, Snapshot("s1", 11, T0, "store-1"));
        Assert.Empty(ledger.State.LastSnapshotAt);
    }

    [Fact]
    public void Apply_SnapshotWhoseLaterChangesCarryItBeyondTheLimit_RejectedOverflow()
    {
        // A receipt applied before quantities were bounded, after the count was taken.
        var state = new ProductState { OnHand = new() { ["default"] = Max - 1 } };
        state.Window.Enqueue(new SeenEvent
        {
            EventId = "old-receipt", Status = OutcomeStatus.Applied, Version = 1,
            Location = "default", OccurredAtUtcTicks = T0.AddHours(1).UtcTicks, Delta = Max - 1,
        });
        var ledger = new ProductLedger(ProductId, state, 10_000);

        AssertOverflow(ledger, Snapshot("s1", 2, T0));
    }

    [Fact]
    public void Apply_CountStoredBeyondTheLimit_MayMoveTowardZeroButNotAway()
    {
        // A state from before counts were checked: events that correct it apply, events that worsen it do not.
        var ledger = Stored(onHand: new() { ["default"] = Max + 100 });

        var sale = ledger.Apply(Sale("s1", 40), null, T0);
        var receipt = ledger.Apply(Receipt("r1", 1), null, T0);
        var snapshot = ledger.Apply(Snapshot("count", 12, T0), null, T0);

        Assert.Equal((OutcomeStatus.Applied, OutcomeStatus.Rejected, RejectionReasons.Overflow), (sale.Status, receipt.Status, receipt.Reason));
        Assert.Equal(OutcomeStatus.Applied, snapshot.Status);
        Assert.Equal((12L, 2L), (ledger.ToStockView().OnHand, ledger.ToStockView().Version));
    }

    [Fact]
    public void Apply_OverflowRejection_RememberedSoAReSendIsDuplicate()
    {
        var ledger = Stored(onHand: new() { ["default"] = Max });
        ledger.Apply(Receipt("e1", 1), Position, T0);

        var again = ledger.Apply(Receipt("e1", 1), Position with { Offset = Position.Offset + 1 }, T0);
        var redelivered = ledger.Apply(Receipt("e1", 1), Position, T0);

        Assert.Equal(OutcomeStatus.Duplicate, again.Status);
        Assert.Equal((OutcomeStatus.Rejected, RejectionReasons.Overflow, 0L), (redelivered.Status, redelivered.Reason, redelivered.Version));
    }

    [Fact]
    public void ReleaseExpired_ReservationNearTheLimit_ReleasedToZero()
    {
        var ledger = Stored(onHand: new() { ["default"] = Max }, reservations: new() { ["big"] = Max }, expiresAt: T0);

        var released = ledger.ReleaseExpired(T0.AddSeconds(1));

        Assert.Equal(["big"], released);
        Assert.Equal((0L, Max, 1L), (ledger.ToStockView().Reserved, ledger.ToStockView().Available, ledger.ToStockView().Version));
    }

    // A ledger over a stored state with these counts (reserved = the sum of the reservations), as a grain loads it.
    private static ProductLedger Stored(
        Dictionary<string, long> onHand,
        long inTransit = 0,
        Dictionary<string, long>? reservations = null,
        DateTimeOffset? expiresAt = null)
    {
        var state = new ProductState { OnHand = new(onHand, StringComparer.Ordinal), InTransit = inTransit };
        foreach (var (id, remaining) in reservations ?? [])
        {
            state.Reservations[id] = new ReservationHold { Remaining = remaining, ExpiresAt = expiresAt };
            state.Reserved += remaining;
        }

        var ledger = new ProductLedger(ProductId, state, 10_000);
        ledger.MarkSaved();
        return ledger;
    }

    private static void AssertOverflow(ProductLedger ledger, InventoryEvent inventoryEvent)
    {
        var stock = ledger.ToStockView();

        var outcome = ledger.Apply(inventoryEvent, Position, T0);

        Assert.Equal((OutcomeStatus.Rejected, RejectionReasons.Overflow, stock.Version), (outcome.Status, outcome.Reason, outcome.Version));
        var after = ledger.ToStockView();
        Assert.Equal((stock.OnHand, stock.Reserved, stock.InTransit, stock.Version, stock.LastEventId), (after.OnHand, after.Reserved, after.InTransit, after.Version, after.LastEventId));
        Assert.Equal(stock.Locations, after.Locations);

        // Remembered like any rejection, without an on-hand change a later snapshot would re-add.
        var remembered = ledger.State.Window.Last();
        Assert.Equal((inventoryEvent.EventId, OutcomeStatus.Rejected, (string?)null), (remembered.EventId, remembered.Status, remembered.Location));
    }
}
