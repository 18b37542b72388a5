using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;
using ErrorCode = InventoryOrleans.DevBroker.Protocol.ErrorCode;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>
/// Transactions that end uncommitted while the silo keeps its partitions. After a broker restart a silo's transaction
/// failed with librdkafka's Local_State ("Erroneous state": the transaction had to be aborted after the broker reported
/// skipped sequence numbers). That was taken for a lost membership: the batch was dropped uncommitted and the batch
/// after it, already read (with overlapped batches, already applied), committed its offsets past it, so the dropped
/// batch's events never got an outcome. Now such an attempt is retried like any that did not commit; and a batch that
/// is dropped uncommitted is read again, with everything read after it, from its first message.
/// </summary>
public sealed class AbortedTransactionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>The broker refuses the records of one transaction (it lost the producer's state): the transaction
    /// aborts, and the batch is tried again in a new attempt with the same partitions.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pipeline_BrokerRefusesRecordsMidTransaction_TheAttemptIsRetriedAndNothingIsLost(bool overlap)
    {
        var run = await RunAsync(overlap, seed: 37, fault: broker => broker.FailNextProduce(Topics.Outcomes, ErrorCode.UnknownProducerId));
        await using (run.Cluster)
        {
            var warnings = Warnings(run.Logs);
            Assert.Contains(warnings, w => w.StartsWith("A batch of", StringComparison.Ordinal) && w.Contains("did not commit", StringComparison.Ordinal));
            Assert.DoesNotContain(warnings, w => w.StartsWith("Commit refused", StringComparison.Ordinal));
            await VerifyAsync(run);
        }
    }

    /// <summary>
    /// The group refuses one transaction's offsets as from a stale generation, but no rebalance follows: the silo keeps
    /// its partitions. The batch is given up for its partitions' next owner, which is this silo again: it must read the
    /// batch again rather than go on after it (and with overlap, the batch applied behind it must not commit first).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pipeline_OffsetsRefusedButThePartitionsStay_TheDroppedBatchIsReadAgainAndNothingIsLost(bool overlap)
    {
        var run = await RunAsync(overlap, seed: 39, fault: broker => broker.StaleNextTxnOffsetCommit());
        await using (run.Cluster)
        {
            Assert.Contains(Warnings(run.Logs), w => w.StartsWith("Commit refused", StringComparison.Ordinal));
            await VerifyAsync(run);
        }
    }

    // A single silo in batches of 250 from a backlog; the fault is armed once the third batch is applied, so it hits the
    // third batch's transaction (with overlap, possibly the second's, still on its way).
    private static async Task<Run> RunAsync(bool overlap, int seed, Action<BrokerFaults> fault)
    {
        var events = CrossingScenarioGenerator.Generate(products: 30, events: 3_000, duplicateShare: 0.05, seed: seed);
        var cluster = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?>
        {
            ["Kafka:MaxBatchSize"] = "250",
            ["Kafka:BatchLingerMs"] = "1000",
            ["Kafka:OverlapBatches"] = overlap ? "true" : "false",
        });
        var silo = cluster.Silos[0];
        var logs = Service<CapturedLogs>(silo);
        var applied = 0;
        Service<BatchFaults>(silo).Applied += () =>
        {
            if (++applied == 3)
            {
                fault(cluster.Broker!.Faults);
            }
        };

        cluster.Client!.ProduceAll(events);
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(silo);
        Assert.Equal(1, cluster.Broker!.Faults.Injected);
        return new Run(cluster, logs, events.Count);
    }

    private List<string> Warnings(CapturedLogs logs)
    {
        var warnings = logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message).ToList();
        foreach (var warning in warnings)
        {
            output.WriteLine(warning);
        }

        return warnings;
    }

    private async Task VerifyAsync(Run run)
    {
        var summary = await run.Cluster.VerifyAsync();
        output.WriteLine($"verified: {summary}");
        Assert.Equal(run.Events, summary.ValidMessages);
        Assert.True(summary.Alerts > 0, "the scenario crosses thresholds");
    }

    // A finished run: its cluster (stopped silo, backends still up for the verifier), what the silo logged, how many events went in.
    private sealed record Run(InventoryTestCluster Cluster, CapturedLogs Logs, int Events);
}
