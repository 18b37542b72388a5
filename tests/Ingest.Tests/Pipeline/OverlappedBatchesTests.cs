using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Orleans.TestingHost;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>
/// Overlapped stages: the pipeline applies batch N+1 while batch N's transaction publishes and commits. Each test
/// first shows the overlap happened (a batch applied while the one before it was not finished), then checks every
/// outcome, stock, alert and stored state against the reference model.
/// </summary>
public sealed class OverlappedBatchesTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Two products, each in batch after batch: each product's events reach its grain in offset order, and its records
    /// reach the topics in version order, although its next batch is applied before its previous one has committed.
    /// </summary>
    [Fact]
    public async Task Pipeline_ProductsInEveryBatch_PerProductOrderHoldsAcrossOverlappedBatches()
    {
        var events = ScenarioGenerator.Generate(products: 2, events: 4_000, duplicateShare: 0.05, seed: 31);
        await using var cluster = await StartAsync(silos: 1, SmallBatches());
        var silo = cluster.Silos[0];
        var overlap = WatchOverlap(silo);

        cluster.Client!.ProduceAll(events);
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(silo);

        output.WriteLine($"{overlap.Applied} batches applied, {overlap.Overlapped} of them while the batch before was committing");
        Assert.True(overlap.Applied >= 10, $"only {overlap.Applied} batches");
        Assert.True(overlap.Overlapped >= 5, $"only {overlap.Overlapped} of {overlap.Applied} batches overlapped the commit before them");

        var summary = await cluster.VerifyAsync();
        output.WriteLine($"verified: {summary}");
        Assert.Equal(events.Count, summary.ValidMessages);

        // In topic order, a product's net stock only moves forward and its decisions come in offset order.
        var client = cluster.Client!;
        // A batch holds at most 250 messages, so each product's ~2,000 events span at least eight batches.
        foreach (var productId in events.Select(e => e.ProductId).Distinct())
        {
            var versions = client.NetStock(productId).Select(r => r.Version).ToList();
            Assert.True(versions.Count >= 6, $"{productId}: {versions.Count} net-stock records");
            Assert.Equal(versions.Order(), versions);
            Assert.Equal(versions.Distinct().Count(), versions.Count);
        }

        var productOf = events.GroupBy(e => e.EventId).ToDictionary(g => g.Key, g => g.First().ProductId);
        foreach (var outcomes in client.Outcomes().Where(o => o.Status == "Applied").GroupBy(o => productOf[o.EventId]))
        {
            var versions = outcomes.Select(o => o.Version).ToList();
            Assert.Equal(versions.Order(), versions);
        }
    }

    /// <summary>
    /// A crash between two overlapped batches: the silo dies once the second batch is applied and persisted, while the
    /// first one's transaction is on its way (it may commit or not). The next silo must publish exactly what the model
    /// decides: the first batch's records once if it committed, the second's once, nothing lost or doubled.
    /// </summary>
    [Fact]
    public async Task Pipeline_SiloDiesWhileOneBatchCommitsAndTheNextIsApplied_NextSiloPublishesExactly()
    {
        var events = CrossingScenarioGenerator.Generate(products: 30, events: 3_000, duplicateShare: 0.05, seed: 33);
        await using var cluster = await StartAsync(silos: 1, SmallBatches());
        var doomed = cluster.Silos[0];
        var pipeline = Service<IngestPipeline>(doomed);
        var finishedBeforeTheSecond = -1L;
        var applied = 0;
        var faulted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Service<BatchFaults>(doomed).Applied += () =>
        {
            if (++applied == 2)
            {
                finishedBeforeTheSecond = InventoryTestCluster.Metrics(doomed).Snapshot().Batches;
                pipeline.Kill();
                faulted.TrySetResult();
            }
        };

        cluster.Client!.ProduceAll(events);
        await faulted.Task.WaitAsync(Patience);
        await cluster.KillSiloAsync(doomed);
        Assert.Equal(0, finishedBeforeTheSecond);
        output.WriteLine($"killed with the second batch applied and the first one's transaction on its way; {cluster.Client!.Count(Topics.Outcomes)} outcomes visible");

        await cluster.StartSiloAsync();
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(cluster.Silos[0]);

        var summary = await cluster.VerifyAsync();
        output.WriteLine($"verified: {summary}");
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.True(summary.Alerts > 0, "the scenario crosses thresholds");
        var decisions = cluster.Client!.Outcomes().Where(o => o.Status != "Duplicate").ToList();
        Assert.All(decisions.GroupBy(o => o.EventId), same => Assert.Single(same.Select(o => o.Json).Distinct()));
    }

    /// <summary>
    /// The first batch's transaction fails (its producer is fenced by another of the same transactional id, so the
    /// outcome is unknown until Kafka's marks tell) while the second batch is already applied with the attempt after
    /// it. The second cannot commit on top: it starts over in a new attempt once the first is retried, and its
    /// products publish everything the failed attempts carried.
    /// </summary>
    [Fact]
    public async Task Pipeline_BatchBeforeDoesNotCommit_TheAppliedBatchBehindStartsOverAndNothingIsLost()
    {
        const string transactionalId = "overlap-fenced";
        var events = CrossingScenarioGenerator.Generate(products: 30, events: 3_000, duplicateShare: 0.05, seed: 35);
        var settings = SmallBatches();
        settings["Kafka:TransactionalId"] = transactionalId;
        await using var cluster = await StartAsync(silos: 1, settings);
        var silo = cluster.Silos[0];
        var pipeline = Service<IngestPipeline>(silo);
        var applied = 0;
        var finishedBeforeTheSecond = -1L;
        using var fencer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = cluster.Broker!.BootstrapServers,
            TransactionalId = transactionalId,
        }).SetLogHandler((_, _) => { }).Build();

        // One event first, so the silo's transactional producer exists (it is made on first use, which would fence the
        // fencer instead).
        cluster.Client!.ProduceAll([events[0]]);
        await cluster.WaitForAllCommittedAsync(Patience);
        events = events[1..];
        Service<BatchFaults>(silo).Applied += () =>
        {
            applied++;
            if (applied == 1)
            {
                // Before the first batch's transaction begins: the silo's producer is fenced, so that transaction fails.
                fencer.InitTransactions(TimeSpan.FromSeconds(30));
            }
            else if (applied == 2)
            {
                finishedBeforeTheSecond = InventoryTestCluster.Metrics(silo).Snapshot().Batches - 1;
            }
        };

        var before = InventoryTestCluster.Metrics(silo).Snapshot().Batches;
        cluster.Client!.ProduceAll(events);
        await cluster.WaitForAllCommittedAsync(Patience);
        var batches = InventoryTestCluster.Metrics(silo).Snapshot().Batches - before;
        await cluster.StopSiloAsync(silo);

        output.WriteLine($"{applied} applies for {batches} batches");
        Assert.Equal(0, finishedBeforeTheSecond);

        // The first batch and the one behind it were applied again: at least two applies more than batches.
        Assert.True(applied >= batches + 2, $"{applied} applies for {batches} batches: nothing started over");

        var summary = await cluster.VerifyAsync();
        output.WriteLine($"verified: {summary}");
        Assert.Equal(events.Count + 1, summary.ValidMessages);
        Assert.True(summary.Alerts > 0, "the scenario crosses thresholds");
        var decisions = cluster.Client!.Outcomes().Where(o => o.Status != "Duplicate").ToList();
        Assert.All(decisions.GroupBy(o => o.EventId), same => Assert.Single(same.Select(o => o.Json).Distinct()));
    }

    // Batches of 250 from a backlog produced at once; each waits (up to a second) to fill, so the first is not a lone
    // message and the next one is always there while one commits.
    private static Dictionary<string, string?> SmallBatches() => new()
    {
        ["Kafka:MaxBatchSize"] = "250",
        ["Kafka:BatchLingerMs"] = "1000",
        ["Kafka:OverlapBatches"] = "true",
    };

    private static OverlapWatch WatchOverlap(InProcessSiloHandle silo)
    {
        var watch = new OverlapWatch();
        Service<BatchFaults>(silo).Applied += () =>
        {
            watch.Applied++;

            // Every batch before this one finished (committed and counted) unless its transaction is still on its way.
            if (InventoryTestCluster.Metrics(silo).Snapshot().Batches < watch.Applied - 1)
            {
                watch.Overlapped++;
            }
        };
        return watch;
    }

    private sealed class OverlapWatch
    {
        public int Applied { get; set; }

        public int Overlapped { get; set; }
    }
}
