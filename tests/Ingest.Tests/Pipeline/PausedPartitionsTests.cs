using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>
/// Partitions the pipeline paused for an outage and then lost. librdkafka keeps an application's pause on a partition
/// across assignments (a new assignment lifts only the library's own pauses), so unless the pipeline lifts its pause
/// when it gives a partition up, that partition is never fetched again once it is assigned back.
/// </summary>
public sealed class PausedPartitionsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pipeline_PartitionsPausedForAStorageOutageThenLostToABrokerRestart_ConsumedAgainOnceAssignedBack()
    {
        var events = ScenarioGenerator.Generate(products: 50, events: 1_000, duplicateShare: 0.05, seed: 31);
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var silo = cluster.Silos[0];
        var partitions = cluster.Client!.Partitions(Topics.Events).Count;

        // Redis down before the events come: their batch cannot open its publication epochs, so the pipeline pauses
        // every partition it owns and retries the batch.
        await cluster.Redis.StopAsync();
        cluster.Client.ProduceAll(events);
        await Eventually.TrueAsync(() => InventoryTestCluster.Health(silo).StorageProblem is not null, Patience, "the silo pauses for the storage outage");

        // The restarted broker does not know the group's members any more: the paused partitions are lost. It holds
        // the silo's rejoin back for a while (initial rebalance delay), so the pipeline sees the loss, gives the batch
        // up and resumes what it has (nothing) before its partitions are assigned back.
        await cluster.Broker!.RestartAsync(configure: o => o.GroupInitialRebalanceDelayMs = 3_000);
        var groups = cluster.Broker.Server.Services.Get<GroupCoordinator>();
        await Eventually.TrueAsync(
            () => groups.Describe([GroupId])[0] is { State: "Stable", Members.Count: 1 } && Ownership(silo).Owned.Count == partitions,
            Patience,
            "the silo rejoined the group and owns every partition again");
        output.WriteLine($"rejoined; storage problem: {InventoryTestCluster.Health(silo).StorageProblem}");

        // Storage back: the partitions assigned back are consumed from the committed offsets (none) and committed.
        await cluster.Redis.StartAsync();
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(silo);

        var summary = await cluster.VerifyAsync();
        output.WriteLine($"verified: {summary}");
        Assert.Equal(events.Count, summary.ValidMessages);
    }
}
