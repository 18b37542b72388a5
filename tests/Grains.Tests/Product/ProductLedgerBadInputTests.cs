using InventoryOrleans.Grains.Interfaces;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class ProductLedgerBadInputTests
{
    private static readonly EventPosition Position = new(Topics.Events, 0, 100);

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Apply_EmptyEventId_ThrowsArgumentException(string? eventId)
    {
        var ledger = PreparedLedger();
        var before = Persisted(ledger);

        var error = Assert.ThrowsAny<ArgumentException>(() => ledger.Apply(Receipt(eventId!, 1), Position, T0));

        Assert.Contains("eventId", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Persisted(ledger));
    }

    [Fact]
    public void Apply_EventIdOver128Characters_ThrowsArgumentException()
    {
        var ledger = PreparedLedger();
        var before = Persisted(ledger);

        var error = Assert.Throws<ArgumentException>(() => ledger.Apply(Receipt(new string('x', 129), 1), Position, T0));

        Assert.Contains("129", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Persisted(ledger));
    }

    [Fact]
    public void Apply_EventIdOf128Characters_Applied()
    {
        var ledger = PreparedLedger();

        Assert.Equal(OutcomeStatus.Applied, ledger.Apply(Receipt(new string('x', 128), 1), Position, T0).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp")]
    public void Apply_ProductIdEmptyOrOver128Characters_ThrowsArgumentException(string productId)
    {
        var ledger = PreparedLedger();
        var before = Persisted(ledger);

        var error = Assert.Throws<ArgumentException>(() => ledger.Apply(Receipt("e9", 1) with { ProductId = productId }, Position, T0));

        Assert.Contains("productId", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Persisted(ledger));
    }

    [Fact]
    public void Apply_OtherProductsEvent_ThrowsArgumentException()
    {
        var ledger = PreparedLedger();
        var before = Persisted(ledger);

        var error = Assert.Throws<ArgumentException>(() => ledger.Apply(Receipt("e9", 1) with { ProductId = "sku-2" }, Position, T0));

        Assert.Contains("sku-2", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Persisted(ledger));
    }

    [Theory]
    [InlineData(InventoryEventType.Snapshot)]
    [InlineData(InventoryEventType.Receipt)]
    [InlineData(InventoryEventType.Sale)]
    [InlineData(InventoryEventType.Return)]
    [InlineData(InventoryEventType.TransferOut)]
    [InlineData(InventoryEventType.TransferIn)]
    [InlineData(InventoryEventType.Reservation)]
    [InlineData(InventoryEventType.Fulfillment)]
    public void Apply_NegativeQuantity_RejectedInvalidEventAndNothingChanges(InventoryEventType type)
    {
        AssertInvalid(Event("bad", type, -1, reservationId: "r1"));
    }

    [Fact]
    public void Apply_AdjustmentOfZero_RejectedInvalidEventAndNothingChanges()
    {
        AssertInvalid(Event("bad", InventoryEventType.Adjustment, 0));
    }

    [Theory]
    [InlineData(InventoryEventType.Reservation, null)]
    [InlineData(InventoryEventType.Reservation, "")]
    [InlineData(InventoryEventType.ReservationRelease, null)]
    [InlineData(InventoryEventType.Fulfillment, "")]
    public void Apply_MissingReservationId_RejectedInvalidEventAndNothingChanges(InventoryEventType type, string? reservationId)
    {
        AssertInvalid(Event("bad", type, 1, reservationId: reservationId));
    }

    [Fact]
    public void Apply_UndefinedEventType_RejectedInvalidEventAndNothingChanges()
    {
        AssertInvalid(Event("bad", (InventoryEventType)99, 1));
    }

    [Fact]
    public void Apply_ReservationReleaseWithNegativeQuantity_QuantityIgnored()
    {
        var ledger = PreparedLedger();

        var outcome = ledger.Apply(Event("e9", InventoryEventType.ReservationRelease, -5, reservationId: "r1"), null, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Equal(0, ledger.ToStockView().Reserved);
    }

    [Fact]
    public void Apply_InvalidEventThenValidWithSameIdAndOffset_ValidOneApplied()
    {
        // An invalid event is not remembered, so it cannot shadow a later correct event.
        var ledger = PreparedLedger();
        ledger.Apply(Event("e9", InventoryEventType.Receipt, -1), Position, T0);

        var outcome = ledger.Apply(Receipt("e9", 1), Position, T0);

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
    }

    // Holds stock, a reservation due to expire, an offset watermark and window entries: any change would show.
    private static Grains.Product.ProductLedger PreparedLedger()
    {
        var ledger = NewLedger();
        ledger.Apply(Receipt("e1", 10), new EventPosition(Topics.Events, 0, 50), T0);
        ledger.Apply(Reserve("e2", "r1", 4, expiresAt: T0.AddMinutes(1)), new EventPosition(Topics.Events, 0, 51), T0);
        ledger.MarkSaved();
        return ledger;
    }

    private static void AssertInvalid(InventoryEvent inventoryEvent)
    {
        var ledger = PreparedLedger();
        var before = Persisted(ledger);

        // Late enough that the reservation would expire, to show that bad input does not even release it.
        var outcome = ledger.Apply(inventoryEvent with { CorrelationId = "c-bad" }, Position, T0.AddHours(1));

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Equal(RejectionReasons.InvalidEvent, outcome.Reason);
        Assert.Equal(2, outcome.Version);
        Assert.Equal("c-bad", outcome.CorrelationId);
        Assert.Equal(before, Persisted(ledger));
        Assert.False(ledger.HasUnsavedChanges);
    }
}
