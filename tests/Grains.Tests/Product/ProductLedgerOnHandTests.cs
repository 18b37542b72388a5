using InventoryOrleans.Grains.Interfaces;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class ProductLedgerOnHandTests
{
    [Fact]
    public void Apply_Receipt_AddsToOnHandAtItsLocation()
    {
        var ledger = NewLedger();

        var outcome = ledger.Apply(Receipt("e1", 7, location: "store-1"), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Null(outcome.Reason);
        var stock = ledger.ToStockView();
        Assert.Equal(7, stock.OnHand);
        Assert.Equal(7, stock.Available);
        Assert.Equal(new Dictionary<string, long> { ["store-1"] = 7 }, stock.Locations);
    }

    [Fact]
    public void Apply_Return_AddsToOnHand()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 2), null, T0);

        ledger.Apply(Event("e2", InventoryEventType.Return, 3), null, T0);

        Assert.Equal(5, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_Sale_SubtractsFromOnHand()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);

        ledger.Apply(Sale("e2", 4), null, T0);

        Assert.Equal(6, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_SaleBeyondOnHand_GoesNegative()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 1), null, T0);

        var outcome = ledger.Apply(Sale("e2", 3), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Equal(-2, ledger.ToStockView().OnHand);
        Assert.Equal(-2, ledger.ToStockView().Available);
    }

    [Theory]
    [InlineData(5, 15)]
    [InlineData(-4, 6)]
    public void Apply_Adjustment_AddsSignedQuantity(long adjustment, long expectedOnHand)
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), null, T0);

        ledger.Apply(Event("e2", InventoryEventType.Adjustment, adjustment), null, T0);

        Assert.Equal(expectedOnHand, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_TransferOut_MovesOnHandIntoTransit()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10, location: "dc"), null, T0);

        ledger.Apply(Event("e2", InventoryEventType.TransferOut, 4, location: "dc"), null, T0);

        var stock = ledger.ToStockView();
        Assert.Equal(6, stock.Locations["dc"]);
        Assert.Equal(4, stock.InTransit);
    }

    [Fact]
    public void Apply_TransferIn_AddsOnHandAndTakesFromInTransit()
    {
        var ledger = NewLedger();
        ledger.Apply(Event("e1", InventoryEventType.TransferOut, 5, location: "dc"), null, T0);

        ledger.Apply(Event("e2", InventoryEventType.TransferIn, 3, location: "store"), null, T0);

        var stock = ledger.ToStockView();
        Assert.Equal(3, stock.Locations["store"]);
        Assert.Equal(-5, stock.Locations["dc"]);
        Assert.Equal(2, stock.InTransit);
    }

    [Fact]
    public void Apply_TransferInBeyondInTransit_InTransitStopsAtZero()
    {
        var ledger = NewLedger();
        ledger.Apply(Event("e1", InventoryEventType.TransferOut, 2, location: "dc"), null, T0);

        ledger.Apply(Event("e2", InventoryEventType.TransferIn, 5, location: "store"), null, T0);

        Assert.Equal(0, ledger.ToStockView().InTransit);
        Assert.Equal(5, ledger.ToStockView().Locations["store"]);
    }

    [Fact]
    public void Apply_EmptyLocation_UsesDefaultLocation()
    {
        var ledger = NewLedger();

        ledger.Apply(Receipt("e1", 3, location: ""), null, T0);

        Assert.Equal(3, ledger.ToStockView().Locations[InventoryEvent.DefaultLocation]);
    }

    [Fact]
    public void ToStockView_SeveralLocations_OnHandIsTheirSum()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 3, location: "a"), null, T0);
        ledger.Apply(Receipt("e2", 4, location: "b"), null, T0);
        ledger.Apply(Sale("e3", 10, location: "c"), null, T0);

        var stock = ledger.ToStockView();

        Assert.Equal(-3, stock.OnHand);
        Assert.Equal(3, stock.Locations.Count);
    }

    [Fact]
    public void Apply_Applied_BumpsVersionAndRecordsEventAndTime()
    {
        var ledger = NewLedger();
        var now = T0.AddMinutes(5);

        var first = ledger.Apply(Receipt("e1", 1), null, now);
        var second = ledger.Apply(Event("e2", InventoryEventType.Sale, 1, correlationId: "order-9"), null, now.AddSeconds(1));

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal("order-9", second.CorrelationId);
        Assert.Equal(ProductId, second.ProductId);
        var stock = ledger.ToStockView();
        Assert.Equal(2, stock.Version);
        Assert.Equal("e2", stock.LastEventId);
        Assert.Equal(now.AddSeconds(1), stock.UpdatedAt);
    }

    [Fact]
    public void Apply_Rejected_KeepsVersionAndCarriesCorrelationId()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 1), null, T0);

        var outcome = ledger.Apply(Event("e2", InventoryEventType.ReservationRelease, 0, reservationId: "nope", correlationId: "c-2"), null, T0.AddMinutes(1));

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Equal(1, outcome.Version);
        Assert.Equal("c-2", outcome.CorrelationId);
        var stock = ledger.ToStockView();
        Assert.Equal(1, stock.Version);
        Assert.Equal("e1", stock.LastEventId);
        Assert.Equal(T0, stock.UpdatedAt);
    }
}
