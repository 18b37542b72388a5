using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Cluster.Tests;

/// <summary>
/// A silo that lost its partitions while it was stuck (a zombie) wakes up mid-batch: its transaction is refused at the
/// offsets (its group generation is gone), so what it wrote stays invisible to <c>read_committed</c> readers, while
/// the silo that took its partitions over decided the same messages once.
/// </summary>
public sealed class ClusterFencingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Zombie_SiloStuckBetweenApplyAndCommitUntilItsPartitionsMoved_ItsTransactionIsRefusedAndNothingOfItIsVisible()
    {
        // A stuck pipeline thread leaves the group after the poll interval (heartbeats go on meanwhile): short here.
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2, new Dictionary<string, string?>
        {
            ["Kafka:MaxPollIntervalMs"] = "8000",
        });
        var zombie = cluster.Silos[0];
        var survivor = cluster.Silos[1];
        var stuck = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        Service<BatchFaults>(zombie).Applied += () =>
        {
            // Only its first attempt: the products are persisted and claimed, nothing is in the transaction yet.
            if (!stuck.IsSet)
            {
                stuck.Set();
                release.Wait(Patience);
            }
        };

        var client = cluster.Client!;
        var events = ScenarioGenerator.Generate(products: 200, events: 6_000, duplicateShare: 0.05, seed: 41);
        client.ProduceInChunks(events, 1_000);
        Assert.True(stuck.Wait(Patience), "the zombie took a batch");

        // The survivor takes every partition over and decides everything, the zombie's batch included.
        await Eventually.TrueAsync(() => Ownership(survivor).Owned.Count == client.Partitions(Topics.Events).Count, Patience, "the survivor owns every partition");
        await cluster.WaitForAllCommittedAsync(Patience);
        var visibleBefore = client.ReadAll(Topics.Outcomes).Count;
        var writtenBefore = client.ReadAll(Topics.Outcomes, IsolationLevel.ReadUncommitted).Count;
        output.WriteLine($"before the zombie wakes: {visibleBefore} outcomes visible, {writtenBefore} written");

        // The zombie goes on: it puts its batch's records into its transaction, and the offsets are refused (its member
        // left the group). Only after that does it poll again and rejoin: once it owns partitions again, it is over.
        release.Set();
        await cluster.WaitForStableAssignmentAsync(Patience);
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(zombie);
        await cluster.StopSiloAsync(survivor);

        var written = client.ReadAll(Topics.Outcomes, IsolationLevel.ReadUncommitted).Count;
        var visible = client.ReadAll(Topics.Outcomes).Count;
        // Some of the zombie's records may reach the log before the refusal (aborted there), or none (an abort also
        // drops what was not sent yet): either way none is visible.
        output.WriteLine($"after: {visible} outcomes visible, {written} written");
        Assert.Equal(visibleBefore, visible);

        // Exactly one outcome per message, strictly rising versions, each crossing once, as the model says.
        var summary = await cluster.VerifyAsync();
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.Equal(events.Count, summary.Outcomes);
    }
}
