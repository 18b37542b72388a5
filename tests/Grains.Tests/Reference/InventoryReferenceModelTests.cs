using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport.Reference;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Reference;

/// <summary>The reference model is reused by the cluster tests for many products; these pin what they rely on.</summary>
public sealed class InventoryReferenceModelTests
{
    [Fact]
    public void Apply_TwoProducts_KeptApart()
    {
        var model = new InventoryReferenceModel();

        model.Apply(Receipt("e1", 5), T0);
        var other = model.Apply(Receipt("e1", 7) with { ProductId = "sku-2" }, Topics.Events, 0, 1, T0);

        Assert.Equal(new ReferenceOutcome(OutcomeStatus.Applied, null, 1), other);
        Assert.Equal(5, model.Stock(ProductId).OnHand);
        Assert.Equal(7, model.Stock("sku-2").OnHand);
        Assert.Equal([ProductId, "sku-2"], model.ProductIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Stock_UnknownProduct_ZeroAtVersionZero()
    {
        var stock = new InventoryReferenceModel().Stock("never");

        Assert.Equal((0L, 0L, 0L, 0L, 0L), (stock.OnHand, stock.Reserved, stock.InTransit, stock.Available, stock.Version));
        Assert.Empty(stock.Locations);
    }

    [Fact]
    public void Apply_RedeliveredMessage_FirstDecisionWithItsVersion()
    {
        var model = new InventoryReferenceModel();
        var rejected = model.Apply(Reserve("e1", "r1", 5), Topics.Events, 2, 10, T0);
        model.Apply(Receipt("e2", 9), Topics.Events, 2, 11, T0);
        var duplicate = model.Apply(Receipt("e2", 9), Topics.Sales, 2, 10, T0);
        model.Apply(Receipt("e3", 1), Topics.Events, 2, 12, T0);

        Assert.Equal(new ReferenceOutcome(OutcomeStatus.Rejected, RejectionReasons.InsufficientStock, 0), rejected);
        Assert.Equal(rejected, model.Apply(Reserve("e1", "r1", 5), Topics.Events, 2, 10, T0));
        Assert.Equal(new ReferenceOutcome(OutcomeStatus.Applied, null, 1), model.Apply(Receipt("e2", 9), Topics.Events, 2, 11, T0));
        Assert.Equal(new ReferenceOutcome(OutcomeStatus.Duplicate, null, 1), duplicate);
        Assert.Equal(duplicate, model.Apply(Receipt("e2", 9), Topics.Sales, 2, 10, T0));
        Assert.Equal(10, model.Stock(ProductId).OnHand);
    }

    [Fact]
    public void Apply_RedeliveredOffset_Duplicate()
    {
        var model = new InventoryReferenceModel();
        model.Apply(Receipt("e1", 5), Topics.Sales, 2, 10, T0);

        var outcome = model.Apply(Receipt("e2", 5), Topics.Sales, 2, 10, T0);

        Assert.Equal(OutcomeStatus.Duplicate, outcome.Status);
        Assert.Equal(5, model.Stock(ProductId).OnHand);
    }

    [Fact]
    public void Apply_EventIdOver128Characters_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new InventoryReferenceModel().Apply(Receipt(new string('e', 129), 1), T0));
    }
}
