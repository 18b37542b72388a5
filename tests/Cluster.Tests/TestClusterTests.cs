using System.Diagnostics;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Cluster.Tests;

/// <summary>The fixture's own promises: a stopped silo leaves the group at once, a killed one only by session timeout.</summary>
public sealed class TestClusterTests
{
    [Fact]
    public async Task KillSiloAsync_NoLeaveGroup_PartitionsMoveOnlyAfterSessionTimeout()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2);
        var survivor = cluster.Silos[1];
        var ownedBefore = Ownership(survivor).Owned.Count;

        var clock = Stopwatch.StartNew();
        await cluster.KillSiloAsync(cluster.Silos[0]);

        // Session timeout is 6 s: for the first seconds the dead member still holds its partitions.
        await Task.Delay(TimeSpan.FromSeconds(3) - clock.Elapsed);
        Assert.Equal(ownedBefore, Ownership(survivor).Owned.Count);
        await cluster.WaitForStableAssignmentAsync(TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(5), $"partitions moved after {clock.Elapsed}, before the session timeout");
    }

    [Fact]
    public async Task StopSiloAsync_LeavesGroup_PartitionsMoveAtOnce()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2);

        var clock = Stopwatch.StartNew();
        await cluster.StopSiloAsync(cluster.Silos[0]);
        await cluster.WaitForStableAssignmentAsync(TimeSpan.FromSeconds(30));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"partitions moved only after {clock.Elapsed}");
        Assert.Equal(12, Ownership(cluster.Silos[0]).Owned.Count);
    }

    [Fact]
    public async Task StartSiloAsync_Rebalance_DeactivatesGrainsOfRevokedPartitions()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var first = cluster.Silos[0];
        var products = Enumerable.Range(0, 60).Select(i => $"moving-{i}").ToList();
        foreach (var productId in products)
        {
            cluster.Client!.Produce(Topics.Events, new InventoryEvent($"{productId}-e", InventoryEventType.Receipt, productId, 1, ScenarioGenerator.Epoch));
        }

        cluster.Client!.Flush();
        await cluster.WaitForAllCommittedAsync(TimeSpan.FromSeconds(60));
        Assert.All(products, p => Assert.True(Activations(first).IsActive(p)));

        await cluster.StartSiloAsync();
        await cluster.WaitForStableAssignmentAsync();

        var moved = products.Where(p => !Ownership(first).Owns(p)).ToList();
        Assert.NotEmpty(moved);
        Assert.All(moved, p => Assert.False(Activations(first).IsActive(p), $"{p} moved away but is still active"));
        Assert.All(products.Except(moved), p => Assert.True(Activations(first).IsActive(p)));
    }
}
