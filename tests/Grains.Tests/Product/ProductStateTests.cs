using InventoryOrleans.Grains.Product;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class ProductStateTests
{
    [Fact]
    public void ToStockView_StoredState_SumsLocationsAndSubtractsReserved()
    {
        var state = new ProductState
        {
            OnHand = { ["a"] = 7, ["b"] = -2 },
            Reserved = 3,
            InTransit = 4,
            Version = 9,
            LastEventId = "e9",
            UpdatedAt = T0,
        };

        var stock = RoundTrip(state).ToStockView(ProductId);

        Assert.Equal((ProductId, 5L, 3L, 4L, 2L, 9L, "e9", T0), (stock.ProductId, stock.OnHand, stock.Reserved, stock.InTransit, stock.Available, stock.Version, stock.LastEventId, stock.UpdatedAt));
        Assert.Equal(2, stock.Locations.Count);
    }
}
