using System.Net;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.TestSupport.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>?wait=true answers the decision of the product's grain wherever it lives, not only on the host's own silo.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class WaitAcrossHostsTests(ApiCluster cluster)
{
    [Fact]
    public async Task Wait_ApiCoHostedOnTheSiloThatDoesNotConsumeTheProduct_AnswersTheDecisionOfTheGrainOnTheOtherSilo()
    {
        var silos = cluster.Inventory.Silos;
        Assert.Equal(2, silos.Count);
        var (front, owner) = (silos[0], silos[1]);

        // A product whose partition the other silo consumes: its grain is placed there, and the ingest decides it there.
        var productId = Enumerable.Range(0, 1_000).Select(_ => Products.New("across")).First(id => InventoryTestCluster.Ownership(owner).Owns(id));
        var frontClient = front.SiloHost.Services.GetRequiredService<IClusterClient>();
        await using var host = await cluster.StartHostAsync(cluster.Settings(), frontClient);

        using var receipt = await host.Http.PostRawAsync("/api/events?wait=true", $$"""{"type":"Receipt","productId":"{{productId}}","quantity":8}""");
        using var sale = await host.Http.PostRawAsync("/api/sales?wait=true", $$"""{"productId":"{{productId}}","quantity":3}""");

        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sale.StatusCode);
        var outcome = (await sale.BodyAsync())!["outcome"]!;
        Assert.Equal("Applied", outcome["status"]!.GetValue<string>());
        Assert.Equal(2, outcome["version"]!.GetValue<long>());
        Assert.Equal(5, outcome["stock"]!["onHand"]!.GetValue<long>());
        Assert.True(InventoryTestCluster.Activations(owner).IsActive(productId), $"{productId}'s grain lives on the silo consuming its partition");
        Assert.False(InventoryTestCluster.Activations(front).IsActive(productId), $"{productId}'s grain is not on the Api host's silo");
        Assert.False(InventoryTestCluster.Ownership(front).Owns(productId), "the Api host's silo does not consume the product's partition");
    }

    [Fact]
    public async Task Wait_ApiAsASeparateOrleansClient_AnswersTheDecisionOfEitherSilosProducts()
    {
        // The shared host's Orleans client is the cluster's gateway client: no silo of its own.
        var silos = cluster.Inventory.Silos;
        foreach (var silo in silos)
        {
            var productId = Enumerable.Range(0, 1_000).Select(_ => Products.New("client")).First(id => InventoryTestCluster.Ownership(silo).Owns(id));
            using var response = await cluster.Api.Http.PostRawAsync("/api/sales?wait=true", $$"""{"productId":"{{productId}}","quantity":1}""");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Applied", (await response.BodyAsync())!["outcome"]!["status"]!.GetValue<string>());
            Assert.True(InventoryTestCluster.Activations(silo).IsActive(productId));
        }
    }
}
