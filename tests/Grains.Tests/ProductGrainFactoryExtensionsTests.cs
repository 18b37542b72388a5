using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Tests.Support;
using InventoryOrleans.TestSupport.Cluster;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>The cached product-grain reference against Orleans' own <c>GetGrain&lt;IProductGrain&gt;</c>, from a client and from inside a silo.</summary>
[Collection(SiloCollection.Name)]
public sealed class ProductGrainFactoryExtensionsTests(SiloCluster silo)
{
    [Theory]
    [InlineData("grain-ref-1")]
    [InlineData("grain ref/with:odd_chars-é")]
    public void GetProductGrain_AnyProductId_TheSameGrainIdAndInterfaceAsGetGrain(string productId)
    {
        foreach (var grains in new[] { silo.Inventory.Grains, InventoryTestCluster.Service<IGrainFactory>(silo.Silos[0]) })
        {
            var expected = (GrainReference)grains.GetGrain<IProductGrain>(productId);
            var cached = (GrainReference)grains.GetProductGrain(productId);

            Assert.Equal(expected.GrainId, cached.GrainId);
            Assert.Equal(expected.InterfaceType, cached.InterfaceType);
            Assert.Equal(productId, cached.GetPrimaryKeyString());
        }
    }

    [Fact]
    public async Task GetProductGrain_CallsThroughIt_ReachTheSameActivationAsGetGrain()
    {
        const string Id = "grain-ref-call";
        var (outcome, _) = await silo.Inventory.Grains.GetProductGrain(Id).ApplyAsync(new InventoryEvent("ref-1", InventoryEventType.Receipt, Id, 5, T0));

        Assert.Equal(OutcomeStatus.Applied, outcome.Status);
        Assert.Equal(5, (await silo.Product(Id).GetStockAsync()).OnHand);
        Assert.Equal(5, (await InventoryTestCluster.Service<IGrainFactory>(silo.Silos[0]).GetProductGrain(Id).GetStockAsync()).OnHand);
    }
}
