using InventoryOrleans.Grains.Interfaces;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class ProductLedgerExpiryTests
{
    [Fact]
    public void ReleaseExpired_PastExpiry_ReleasesEachAndBumpsVersionPerReservation()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r-late", 2, expiresAt: T0.AddMinutes(20)), null, T0);
        ledger.Apply(Reserve("e3", "r-early", 3, expiresAt: T0.AddMinutes(10)), null, T0);
        ledger.Apply(Reserve("e4", "r-keep", 1, expiresAt: T0.AddHours(2)), null, T0);
        ledger.MarkSaved();

        var released = ledger.ReleaseExpired(T0.AddMinutes(30));

        Assert.Equal(["r-early", "r-late"], released);
        var stock = ledger.ToStockView();
        Assert.Equal(1, stock.Reserved);
        Assert.Equal(6, stock.Version);
        Assert.Equal("e4", stock.LastEventId);
        Assert.Equal(T0.AddMinutes(30), stock.UpdatedAt);
        Assert.Equal(T0.AddHours(2), ledger.EarliestExpiry);
        Assert.True(ledger.HasUnsavedChanges);
    }

    [Fact]
    public void ReleaseExpired_AtExactExpiry_Releases()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 2, expiresAt: T0.AddMinutes(10)), null, T0);

        Assert.Equal(["r1"], ledger.ReleaseExpired(T0.AddMinutes(10)));
    }

    [Fact]
    public void ReleaseExpired_BeforeExpiry_ReleasesNothingAndChangesNothing()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 2, expiresAt: T0.AddMinutes(10)), null, T0);
        ledger.Apply(Reserve("e3", "r2", 2), null, T0);
        ledger.MarkSaved();
        var before = Persisted(ledger);

        var released = ledger.ReleaseExpired(T0.AddMinutes(10).AddTicks(-1));

        Assert.Empty(released);
        Assert.Equal(before, Persisted(ledger));
        Assert.False(ledger.HasUnsavedChanges);
    }

    [Fact]
    public void Apply_ReservationExpiredBeforeEvent_ReleasedFirstAndStockFreed()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 8, expiresAt: T0.AddMinutes(10)), null, T0);

        var outcome = ledger.Apply(Reserve("e3", "r2", 9), null, T0.AddMinutes(11));

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Equal(4, outcome.Version); // 2 events, 1 expiry, this event
        Assert.False(ledger.State.Reservations.ContainsKey("r1"));
        Assert.Equal(9, ledger.ToStockView().Reserved);
    }

    [Fact]
    public void Apply_FulfillmentOfExpiredReservation_RejectedUnknownReservation()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 8, expiresAt: T0.AddMinutes(10)), null, T0);

        var outcome = ledger.Apply(Fulfill("e3", "r1", 8), null, T0.AddMinutes(10));

        Assert.Equal(RejectionReasons.UnknownReservation, outcome.Reason);
        Assert.Equal(3, outcome.Version);
        Assert.Equal(10, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_DuplicateAfterExpiry_ReleasesNothing()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 8, expiresAt: T0.AddMinutes(10)), null, T0);
        var before = Persisted(ledger);

        var outcome = ledger.Apply(Receipt("e1", 10), null, T0.AddHours(1));

        Assert.Equal(OutcomeStatus.Duplicate, outcome.Status);
        Assert.Equal(before, Persisted(ledger));
    }

    [Fact]
    public void Apply_ReservationAlreadyExpired_HeldUntilNextCheck()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);

        ledger.Apply(Reserve("e2", "r1", 8, expiresAt: T0.AddMinutes(-1)), null, T0);
        var heldAfterApply = ledger.State.Reservations.ContainsKey("r1");
        var released = ledger.ReleaseExpired(T0);

        Assert.True(heldAfterApply);
        Assert.Equal(["r1"], released);
        Assert.Equal(0, ledger.ToStockView().Reserved);
    }

    [Fact]
    public void EarliestExpiry_ReservationsEnd_FollowsTheRemainingOnes()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 1, expiresAt: T0.AddMinutes(5)), null, T0);
        ledger.Apply(Reserve("e3", "r2", 1, expiresAt: T0.AddMinutes(9)), null, T0);
        ledger.Apply(Reserve("e4", "r3", 1), null, T0);
        var withAll = ledger.EarliestExpiry;

        ledger.Apply(Release("e5", "r1"), null, T0);
        var afterRelease = ledger.EarliestExpiry;
        ledger.Apply(Fulfill("e6", "r2", 1), null, T0);

        Assert.Equal(T0.AddMinutes(5), withAll);
        Assert.Equal(T0.AddMinutes(9), afterRelease);
        Assert.Null(ledger.EarliestExpiry);
    }
}
