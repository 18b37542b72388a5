using InventoryOrleans.Grains.Interfaces;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class ProductLedgerReservationTests
{
    [Fact]
    public void Apply_Reservation_ReservesAndReducesAvailable()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);

        var outcome = ledger.Apply(Reserve("e2", "r1", 4), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        var stock = ledger.ToStockView();
        Assert.Equal(10, stock.OnHand);
        Assert.Equal(4, stock.Reserved);
        Assert.Equal(6, stock.Available);
    }

    [Fact]
    public void Apply_ReservationOfExactlyAvailable_Applied()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 4), null, T0);

        var outcome = ledger.Apply(Reserve("e3", "r2", 6), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Equal(0, ledger.ToStockView().Available);
    }

    [Fact]
    public void Apply_ReservationBeyondAvailable_RejectedInsufficientStock()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 4), null, T0);

        var outcome = ledger.Apply(Reserve("e3", "r2", 7), null, T0);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Equal(RejectionReasons.InsufficientStock, outcome.Reason);
        Assert.Equal(2, outcome.Version);
        Assert.Equal(4, ledger.ToStockView().Reserved);
        Assert.False(ledger.State.Reservations.ContainsKey("r2"));
    }

    [Fact]
    public void Apply_ReservationWhenOnHandNegative_RejectedInsufficientStock()
    {
        var ledger = NewLedger();
        ledger.Apply(Sale("e1", 2), null, T0);

        var outcome = ledger.Apply(Reserve("e2", "r1", 0), null, T0);

        Assert.Equal(RejectionReasons.InsufficientStock, outcome.Reason);
    }

    [Fact]
    public void Apply_ReservationIdHeld_RejectedReservationExists()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 4), null, T0);

        var outcome = ledger.Apply(Reserve("e3", "r1", 1), null, T0);

        Assert.Equal(RejectionReasons.ReservationExists, outcome.Reason);
        Assert.Equal(4, ledger.ToStockView().Reserved);
    }

    [Fact]
    public void Apply_ReservationIdHeldAndStockShort_ReservationExistsWins()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 4), null, T0);

        var outcome = ledger.Apply(Reserve("e3", "r1", 100), null, T0);

        Assert.Equal(RejectionReasons.ReservationExists, outcome.Reason);
    }

    [Fact]
    public void Apply_ReservationRelease_ReturnsRemainderToAvailable()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 4), null, T0);
        ledger.Apply(Fulfill("e3", "r1", 1), null, T0);

        var outcome = ledger.Apply(Release("e4", "r1"), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        var stock = ledger.ToStockView();
        Assert.Equal(0, stock.Reserved);
        Assert.Equal(9, stock.Available);
        Assert.Empty(ledger.State.Reservations);
    }

    [Fact]
    public void Apply_ReservationReleaseUnknown_RejectedUnknownReservation()
    {
        var ledger = NewLedger();

        var outcome = ledger.Apply(Release("e1", "r-unknown"), null, T0);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Equal(RejectionReasons.UnknownReservation, outcome.Reason);
        Assert.Equal(0, outcome.Version);
    }

    [Fact]
    public void Apply_ReservationReleasedTwice_SecondRejectedUnknownReservation()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 4), null, T0);
        ledger.Apply(Release("e3", "r1"), null, T0);

        var outcome = ledger.Apply(Release("e4", "r1"), null, T0);

        Assert.Equal(RejectionReasons.UnknownReservation, outcome.Reason);
        Assert.Equal(0, ledger.ToStockView().Reserved);
    }

    [Fact]
    public void Apply_ReservationIdAfterRelease_CanBeReservedAgain()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 4), null, T0);
        ledger.Apply(Release("e3", "r1"), null, T0);

        var outcome = ledger.Apply(Reserve("e4", "r1", 8), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Equal(8, ledger.ToStockView().Reserved);
    }

    [Fact]
    public void Apply_Fulfillment_ReducesOnHandReservedAndRemainder()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10, location: "store"), null, T0);
        ledger.Apply(Reserve("e2", "r1", 5), null, T0);

        var outcome = ledger.Apply(Fulfill("e3", "r1", 3, "store"), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        var stock = ledger.ToStockView();
        Assert.Equal(7, stock.Locations["store"]);
        Assert.Equal(2, stock.Reserved);
        Assert.Equal(5, stock.Available);
        Assert.Equal(2, ledger.State.Reservations["r1"].Remaining);
    }

    [Fact]
    public void Apply_FulfillmentOfWholeRemainder_EndsReservation()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 5), null, T0);
        ledger.Apply(Fulfill("e3", "r1", 3), null, T0);

        ledger.Apply(Fulfill("e4", "r1", 2), null, T0);

        Assert.Empty(ledger.State.Reservations);
        Assert.Equal(0, ledger.ToStockView().Reserved);
        Assert.Equal(RejectionReasons.UnknownReservation, ledger.Apply(Fulfill("e5", "r1", 0), null, T0).Reason);
    }

    [Fact]
    public void Apply_FulfillmentUnknown_RejectedUnknownReservation()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);

        var outcome = ledger.Apply(Fulfill("e2", "r-unknown", 1), null, T0);

        Assert.Equal(RejectionReasons.UnknownReservation, outcome.Reason);
        Assert.Equal(10, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_FulfillmentBeyondRemainder_RejectedExceedsReservation()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);
        ledger.Apply(Reserve("e2", "r1", 5), null, T0);
        ledger.Apply(Fulfill("e3", "r1", 3), null, T0);

        var outcome = ledger.Apply(Fulfill("e4", "r1", 3), null, T0);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Equal(RejectionReasons.ExceedsReservation, outcome.Reason);
        var stock = ledger.ToStockView();
        Assert.Equal(7, stock.OnHand);
        Assert.Equal(2, stock.Reserved);
    }
}
