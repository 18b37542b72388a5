using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>The consumer lag the pipeline samples for the metrics and the page: right after a burst, and right after a restart.</summary>
public sealed class LagSamplingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Lag_BurstConsumedInSmallBatchesThenIdle_BackToZeroOnEveryPartition()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?> { ["Kafka:MaxBatchSize"] = "20" });
        var silo = cluster.Silos[0];
        cluster.Client!.ProduceAll(ScenarioGenerator.Generate(products: 50, events: 2_000, duplicateShare: 0, seed: 5, productPrefix: "burst"));
        await cluster.WaitForAllCommittedAsync(Patience);

        // Sampled once a second: within a few seconds of the last batch, while no message arrives.
        await Eventually.TrueAsync(
            () => InventoryTestCluster.Metrics(silo).Snapshot() is { TotalLag: 0, Lag.Count: > 0 },
            TimeSpan.FromSeconds(10),
            "the lag is back to 0 once the burst is consumed");
    }

    [Fact]
    public async Task Lag_SiloReplacedAfterEverythingWasCommitted_ZeroOnEveryPartitionBeforeAnyNewMessage()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var partitions = cluster.Client!.Partitions(Topics.Events).Count;
        cluster.Client.ProduceAll(ScenarioGenerator.Generate(products: 50, events: 500, duplicateShare: 0, seed: 6, productPrefix: "replaced"));
        await cluster.WaitForAllCommittedAsync(Patience);

        await cluster.StopSiloAsync(cluster.Silos[0]);
        var silo = await cluster.StartSiloAsync();
        await cluster.WaitForStableAssignmentAsync();
        await Eventually.TrueAsync(
            () => InventoryTestCluster.Metrics(silo).Snapshot().Lag.Count == Topics.Inputs.Count * partitions,
            TimeSpan.FromSeconds(30),
            "the new silo reports the lag of every partition");

        // Consumption resumes at the committed offsets, so nothing is behind (not the whole retained log).
        Assert.All(InventoryTestCluster.Metrics(silo).Snapshot().Lag, l => Assert.Equal(0, l.Lag));
    }
}
