using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Cluster.Tests;

/// <summary>Product grains live on the silo that consumes their partition, so the ingest's grain calls stay local.</summary>
public sealed class ClusterPlacementTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ingest_TwoSilosSteadyState_EveryGrainOnItsPartitionsSiloAndNoCallCrossesSilos()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2);
        var events = ScenarioGenerator.Generate(products: 300, events: 6_000, duplicateShare: 0.02, seed: 21);
        foreach (var e in events)
        {
            cluster.Client!.Produce(KafkaTestClient.TopicOf(e), e);
        }

        cluster.Client!.Flush();
        await cluster.WaitForAllCommittedAsync(TimeSpan.FromMinutes(2));

        var calls = cluster.Silos.Sum(s => Metrics(s).Snapshot().GrainCalls);
        var remote = cluster.Silos.Sum(s => Metrics(s).Snapshot().RemoteGrainCalls);
        output.WriteLine($"{remote} of {calls} ingest grain calls crossed silos");
        Assert.True(calls > 0);
        Assert.Equal(0, remote);
        foreach (var productId in events.Select(e => e.ProductId).Distinct())
        {
            var owner = cluster.Silos.Single(s => Ownership(s).Owns(productId));
            Assert.True(Activations(owner).IsActive(productId), $"{productId} is not active on the silo consuming its partition");
            Assert.All(cluster.Silos.Where(s => s != owner), s => Assert.False(Activations(s).IsActive(productId)));
        }

        var summary = await cluster.VerifyAsync();
        Assert.Equal(events.Count, summary.ValidMessages);
    }

    [Fact]
    public async Task Read_ThroughAGatewayForAnInactiveProduct_ActivatesItOnTheSiloConsumingItsPartition()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2);
        var products = Enumerable.Range(0, 40).Select(i => $"read-{i}").ToList();

        // The cluster's partition map is reported every second; wait until both silos know the other's partitions.
        await Eventually.TrueAsync(
            () => cluster.Silos.All(s => Service<Ingest.Placement.ClusterPartitionMap>(s).Cluster.Owners.Count == 12),
            TimeSpan.FromSeconds(30),
            "every silo's partition map holds all 12 partitions");

        foreach (var productId in products)
        {
            // Through the cluster client: the gateway silo places the grain, for half of them not its own partition.
            var stock = await cluster.Grains.GetGrain<IProductGrain>(productId).GetStockAsync();
            Assert.Equal(0, stock.Version);
        }

        foreach (var productId in products)
        {
            var owner = cluster.Silos.Single(s => Ownership(s).Owns(productId));
            Assert.True(Activations(owner).IsActive(productId), $"{productId} was not placed on the silo consuming its partition");
        }
    }
}
