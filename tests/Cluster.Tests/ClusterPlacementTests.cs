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
    public async Task Ingest_SiloJoinsMidStream_MovedGrainsEndUpOnTheirNewSiloAndCallsStayLocal()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var backlog = ScenarioGenerator.Generate(products: 2_000, events: 30_000, duplicateShare: 0.02, seed: 22, productPrefix: "a");
        var steady = ScenarioGenerator.Generate(products: 2_000, events: 10_000, duplicateShare: 0.02, seed: 23, productPrefix: "a-steady");
        Produce(cluster, backlog);
        await Eventually.TrueAsync(() => cluster.Client!.LogEnd(Topics.Outcomes) >= backlog.Count / 4, TimeSpan.FromMinutes(2), "a quarter of the backlog is decided");

        // The newcomer takes half the partitions while the first silo holds their grains and both are busy.
        await cluster.StartSiloAsync();
        await cluster.WaitForStableAssignmentAsync();
        await cluster.WaitForAllCommittedAsync(TimeSpan.FromMinutes(3));

        // Grains that landed on the wrong silo during the handover (a call through a stale directory cache
        // re-creates a grain where it was just deactivated) move to their partition's silo after their next call.
        var before = cluster.Silos.Select(s => Metrics(s).Snapshot()).ToList();
        Produce(cluster, steady);
        await cluster.WaitForAllCommittedAsync(TimeSpan.FromMinutes(3));
        Produce(cluster, steady.Take(2_000).Select(e => e with { EventId = e.EventId + "-again" }).ToList());
        await cluster.WaitForAllCommittedAsync(TimeSpan.FromMinutes(3));

        var after = cluster.Silos.Select(s => Metrics(s).Snapshot()).ToList();
        var calls = after.Sum(m => m.GrainCalls) - before.Sum(m => m.GrainCalls);
        var remote = after.Sum(m => m.RemoteGrainCalls) - before.Sum(m => m.RemoteGrainCalls);
        var misplaced = cluster.Silos.Sum(s => Activations(s).ProductIds.Count(p => !Ownership(s).Owns(p)));
        output.WriteLine($"after the handover: {remote} of {calls} ingest grain calls crossed silos; {misplaced} grains active off their partition's silo");
        Assert.True(remote <= calls / 20, $"{remote} of {calls} ingest grain calls still cross silos after the handover");
        Assert.True(misplaced <= 20, $"{misplaced} product grains are active on a silo that does not consume their partition");

        var summary = await cluster.VerifyAsync();
        Assert.Equal(backlog.Count + steady.Count + 2_000, summary.ValidMessages);
    }

    private static void Produce(InventoryTestCluster cluster, IReadOnlyList<InventoryEvent> events)
    {
        foreach (var e in events)
        {
            cluster.Client!.Produce(KafkaTestClient.TopicOf(e), e);
        }

        cluster.Client!.Flush();
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
