using InventoryOrleans.Grains.Interfaces;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class ProductLedgerSnapshotTests
{
    [Fact]
    public void Apply_Snapshot_SetsOnHandAtItsLocationOnly()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 5, T0, "a"), null, T0);
        ledger.Apply(Receipt("e2", 5, T0, "b"), null, T0);

        var outcome = ledger.Apply(Snapshot("s1", 42, T0.AddMinutes(1), "a"), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        var stock = ledger.ToStockView();
        Assert.Equal(42, stock.Locations["a"]);
        Assert.Equal(5, stock.Locations["b"]);
        Assert.Equal(47, stock.OnHand);
    }

    [Fact]
    public void Apply_LateSnapshot_ReAddsLaterDeltas()
    {
        // The count was taken at 10:00; a sale at 10:05 and a receipt at 10:07 were applied before it arrived.
        var ledger = NewLedger();
        var countedAt = T0;
        ledger.Apply(Sale("sale", 3, countedAt.AddMinutes(5)), null, T0);
        ledger.Apply(Receipt("rcpt", 10, countedAt.AddMinutes(7)), null, T0);

        ledger.Apply(Snapshot("s1", 100, countedAt), null, T0);

        Assert.Equal(107, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_LateSnapshot_ReAddsEveryKindOfOnHandDelta()
    {
        var ledger = NewLedger();
        var later = T0.AddMinutes(1);
        ledger.Apply(Receipt("r", 50, later), null, T0);
        ledger.Apply(Event("ret", InventoryEventType.Return, 2, later), null, T0);
        ledger.Apply(Event("adj", InventoryEventType.Adjustment, -1, later), null, T0);
        ledger.Apply(Event("out", InventoryEventType.TransferOut, 4, later), null, T0);
        ledger.Apply(Event("in", InventoryEventType.TransferIn, 3, later), null, T0);
        ledger.Apply(Reserve("res", "r1", 10), null, T0);
        ledger.Apply(Event("ful", InventoryEventType.Fulfillment, 6, later, reservationId: "r1"), null, T0);

        ledger.Apply(Snapshot("s1", 1000, T0), null, T0);

        Assert.Equal(1000 + 50 + 2 - 1 - 4 + 3 - 6, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_SnapshotAfterDeltas_IgnoresDeltasNotLaterThanIt()
    {
        var ledger = NewLedger();
        ledger.Apply(Sale("before", 3, T0.AddMinutes(-1)), null, T0);
        ledger.Apply(Sale("same-instant", 4, T0), null, T0);

        ledger.Apply(Snapshot("s1", 20, T0), null, T0);

        Assert.Equal(20, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_LateSnapshot_ReAddsOnlyDeltasAtItsLocation()
    {
        var ledger = NewLedger();
        ledger.Apply(Sale("a-sale", 3, T0.AddMinutes(1), "a"), null, T0);
        ledger.Apply(Sale("b-sale", 5, T0.AddMinutes(1), "b"), null, T0);

        ledger.Apply(Snapshot("s1", 10, T0, "a"), null, T0);

        var stock = ledger.ToStockView();
        Assert.Equal(7, stock.Locations["a"]);
        Assert.Equal(-5, stock.Locations["b"]);
    }

    [Fact]
    public void Apply_LateSnapshot_DoesNotReAddRejectedEvents()
    {
        var ledger = NewLedger();
        ledger.Apply(Event("ful", InventoryEventType.Fulfillment, 2, T0.AddMinutes(1), reservationId: "missing"), null, T0);

        ledger.Apply(Snapshot("s1", 10, T0), null, T0);

        Assert.Equal(10, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_LateSnapshot_IgnoresDeltasEvictedFromWindow()
    {
        var ledger = NewLedger(windowSize: 2);
        ledger.Apply(Sale("old", 1, T0.AddMinutes(1)), null, T0);
        ledger.Apply(Sale("kept-1", 2, T0.AddMinutes(1)), null, T0);
        ledger.Apply(Sale("kept-2", 4, T0.AddMinutes(1)), null, T0);

        ledger.Apply(Snapshot("s1", 100, T0), null, T0);

        Assert.Equal(94, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_SnapshotOlderThanLastAtLocation_RejectedStaleSnapshot()
    {
        var ledger = NewLedger();
        ledger.Apply(Snapshot("s-new", 50, T0), null, T0);
        var before = Persisted(ledger);

        var outcome = ledger.Apply(Snapshot("s-old", 7, T0.AddTicks(-1)), null, T0);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Equal(RejectionReasons.StaleSnapshot, outcome.Reason);
        Assert.Equal(1, outcome.Version);
        Assert.Equal(50, ledger.ToStockView().OnHand);
        Assert.NotEqual(before, Persisted(ledger)); // only the de-duplication window learned the eventId
    }

    [Fact]
    public void Apply_SnapshotAsOldAsLastAtLocation_Applied()
    {
        var ledger = NewLedger();
        ledger.Apply(Snapshot("s1", 50, T0), null, T0);

        var outcome = ledger.Apply(Snapshot("s2", 7, T0), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Equal(7, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_OlderSnapshotAtOtherLocation_Applied()
    {
        var ledger = NewLedger();
        ledger.Apply(Snapshot("s1", 50, T0, "a"), null, T0);

        var outcome = ledger.Apply(Snapshot("s2", 7, T0.AddHours(-1), "b"), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Equal(57, ledger.ToStockView().OnHand);
    }

    [Fact]
    public void Apply_StaleSnapshotOffsetsDiffer_ComparesInstants()
    {
        var ledger = NewLedger();
        ledger.Apply(Snapshot("s1", 50, new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero)), null, T0);

        // 13:30+02:00 is 11:30Z: older although its wall-clock reads later.
        var outcome = ledger.Apply(Snapshot("s2", 7, new DateTimeOffset(2026, 1, 1, 13, 30, 0, TimeSpan.FromHours(2))), null, T0);

        Assert.Equal(RejectionReasons.StaleSnapshot, outcome.Reason);
    }
}
