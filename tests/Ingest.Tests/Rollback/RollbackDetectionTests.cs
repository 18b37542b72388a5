using System.Diagnostics.Metrics;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Rollback;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Ingest.Tests.Rollback;

/// <summary>
/// Redis loses its last acknowledged writes: a real redis-server with an append-only file is stopped and started from
/// a copy of its data taken earlier, after the pipeline applied and committed more. Products whose writes were in the
/// lost part must be reported (log, metric, <c>/readyz</c>) and no other, until the runbook's rebuild from the log
/// (<see cref="ProductRebuilder"/>) repairs them; a restart that lost nothing reports nothing.
/// </summary>
public sealed class RollbackDetectionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    // Products written before the copy only (untouched by the loss), before and after it (their later writes are lost),
    // and after it only (everything lost).
    private static readonly string[] Kept = [.. Enumerable.Range(0, 20).Select(i => $"kept-{i}")];
    private static readonly string[] Lost = [.. Enumerable.Range(0, 8).Select(i => $"lost-{i}")];
    private static readonly string[] Fresh = [.. Enumerable.Range(0, 4).Select(i => $"fresh-{i}")];

    private static readonly Dictionary<string, string?> Settings = new() { ["RollbackCheck:RecheckPeriod"] = "00:00:01" };

    private readonly TempDirectories _directories = new();
    private readonly RollbackCounter _counter = new();

    [Fact]
    public async Task Detector_RedisRestoredFromAnOlderCopyAndSiloReplaced_ReportsExactlyTheProductsWhoseWritesWereLost()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, Settings);
        var older = await WriteBothPhasesAsync(cluster, copyAfterFirst: true);

        await RestoreAsync(cluster.Redis, older);
        await ReplaceSiloAsync(cluster);
        var silo = cluster.Silos[0];
        var detector = Service<RollbackDetector>(silo);
        await WaitUntilCheckedAsync(detector);

        string[] expected = [.. Lost.Concat(Fresh).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, detector.Status.RolledBack.Select(r => r.ProductId).Order(StringComparer.Ordinal));
        Assert.Equal(expected, RolledBackInLog(silo));
        Assert.Equal(expected.Length, _counter.Total);
        var state = await StateCheckAsync(cluster);
        Assert.False(state.Ok);
        Assert.Equal(expected, state.Products!.Select(p => p.Split(' ')[0]).Order(StringComparer.Ordinal));
        Assert.Contains($"{expected.Length} products rolled back", state.Detail, StringComparison.Ordinal);

        // Each is reported at its last message of the lost part, which its stored state does not hold.
        foreach (var product in detector.Status.RolledBack)
        {
            Assert.Equal($"B-{product.ProductId}-1", product.EventId);
        }

        // The runbook's repair: each rebuilt from the log, decision for decision as published; then nothing is reported,
        // the silo is ready, and state, outcomes and net stock match the reference model.
        var rebuilder = Service<ProductRebuilder>(silo);
        foreach (var productId in expected)
        {
            var report = await rebuilder.RebuildAsync(productId, acceptDifferences: false, CancellationToken.None);
            Assert.True(report.Rebuilt, report.Problem);
            Assert.Empty(report.Differences);
        }

        await Eventually.TrueAsync(() => detector.Status.RolledBack.Count == 0, Patience, "the recheck finds every rebuilt product whole");
        Assert.True((await StateCheckAsync(cluster)).Ok);
        await AssertProgressAtCommittedAsync(cluster);
        await cluster.VerifyAsync();
        foreach (var productId in expected)
        {
            // Asked inside the silo: the cluster's client may still be reconnecting to the replaced silo's gateway.
            Assert.Equal(OnHand(productId), (await Service<IGrainFactory>(silo).GetGrain<IProductGrain>(productId).GetStockAsync()).OnHand);
        }
    }

    [Fact]
    public async Task Detector_RedisRestartedFromACompleteCopyWithoutItsProgressRecord_ReadsTheCommittedRangesAndReportsNothing()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, Settings);
        var complete = await WriteBothPhasesAsync(cluster, copyAfterFirst: false);

        // Nothing lost but the progress record: every committed range is suspect and read, every product asked.
        await RestoreAsync(cluster.Redis, complete);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString))
        {
            Assert.True(await redis.GetDatabase().KeyDeleteAsync(IngestProgressStore.ProgressKeyOf(cluster.Orleans.Options.ServiceId)));
        }

        await ReplaceSiloAsync(cluster);
        var silo = cluster.Silos[0];
        var detector = Service<RollbackDetector>(silo);
        await WaitUntilCheckedAsync(detector);

        Assert.Empty(detector.Status.RolledBack);
        Assert.Empty(RolledBackInLog(silo));
        Assert.Equal(0, _counter.Total);
        Assert.True((await StateCheckAsync(cluster)).Ok);
        var whole = Service<CapturedLogs>(silo).Entries.Where(e => e.Message.Contains("no state was lost there", StringComparison.Ordinal)).ToList();
        Assert.Equal(Kept.Concat(Lost).Concat(Fresh).Count(), whole.Sum(e => (int)e.Values["Products"]!));

        // The check recorded the committed offsets as the progress, so the next assignment has nothing to read.
        await AssertProgressAtCommittedAsync(cluster);
    }

    [Fact]
    public async Task Detector_RedisWentBackUnderTheRunningSilo_NextBatchOfAPartitionFindsItsLostProductsThoughNewerEventsWereAppliedOnTop()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, Settings);
        var older = await WriteBothPhasesAsync(cluster, copyAfterFirst: true);
        var silo = cluster.Silos[0];
        var ownership = Ownership(silo);

        // The partition holding the most products that lost writes; one of them gets a new event after the loss.
        var byPartition = Lost.Concat(Fresh).GroupBy(ownership.PartitionOf).MaxBy(g => g.Count())!;
        var next = byPartition.First();
        await RestoreAsync(cluster.Redis, older);
        cluster.Client!.ProduceAll([Receipt(next, "C-0", 100)]);
        await cluster.WaitForAllCommittedAsync(Patience);
        var detector = Service<RollbackDetector>(silo);
        await WaitUntilCheckedAsync(detector);

        string[] expected = [.. byPartition.Order(StringComparer.Ordinal)];
        Assert.Equal(expected, detector.Status.RolledBack.Select(r => r.ProductId).Order(StringComparer.Ordinal));
        Assert.Equal(expected, RolledBackInLog(silo));
        Assert.Equal(expected.Length, _counter.Total);
        Assert.Contains(Service<CapturedLogs>(silo).Entries, e => e.Message.Contains("went back under this silo", StringComparison.Ordinal));
        Assert.False((await StateCheckAsync(cluster)).Ok);

        // The new event was decided on the lost state and published so: a rebuild re-decides it on the whole history,
        // and writes that only when told to accept the difference.
        var rebuilder = Service<ProductRebuilder>(silo);
        var refused = await rebuilder.RebuildAsync(next, acceptDifferences: false, CancellationToken.None);
        Assert.False(refused.Rebuilt);
        var difference = Assert.Single(refused.Differences);
        Assert.Equal("C-0", difference.EventId);
        Assert.True(difference.RebuiltVersion > difference.PublishedVersion);
        foreach (var productId in expected)
        {
            var report = await rebuilder.RebuildAsync(productId, acceptDifferences: true, CancellationToken.None);
            Assert.True(report.Rebuilt, report.Problem);
        }

        await Eventually.TrueAsync(() => detector.Status.RolledBack.Count == 0, Patience, "the recheck finds every rebuilt product whole");
        Assert.True((await StateCheckAsync(cluster)).Ok);
        foreach (var productId in expected)
        {
            // What the running silo serves is the rebuilt state (the activation that held the lost one went).
            var served = await Service<IGrainFactory>(silo).GetGrain<IProductGrain>(productId).GetStockAsync();
            var stored = await cluster.Stored.StockAsync(productId);
            Assert.Equal(OnHand(productId) + (productId == next ? 100 : 0), served.OnHand);
            Assert.Equal((stored!.OnHand, stored.Version), (served.OnHand, served.Version));
        }
    }

    public void Dispose()
    {
        _counter.Dispose();
        _directories.Dispose();
    }

    // Phase A: three receipts for every kept and lost product; a copy of Redis' data (after A, or after B); phase B: two
    // receipts for every lost and fresh product. Each phase is committed before the next step.
    private async Task<string> WriteBothPhasesAsync(InventoryTestCluster cluster, bool copyAfterFirst)
    {
        var client = cluster.Client!;
        client.ProduceAll([.. Kept.Concat(Lost).SelectMany(p => Enumerable.Range(0, 3).Select(k => Receipt(p, $"A-{p}-{k}", k + 1)))]);
        await cluster.WaitForAllCommittedAsync(Patience);
        var copy = copyAfterFirst ? CopyData(cluster.Redis) : null;
        client.ProduceAll([.. Lost.Concat(Fresh).SelectMany(p => Enumerable.Range(0, 2).Select(k => Receipt(p, $"B-{p}-{k}", 10 + k)))]);
        await cluster.WaitForAllCommittedAsync(Patience);
        return copy ?? CopyData(cluster.Redis);
    }

    // Redis writes its append-only file (fsync always) before answering, and nothing writes once the group committed
    // everything: a copy of the directory now is exactly what Redis acknowledged so far.
    private string CopyData(RedisServer redis)
    {
        var copy = _directories.New("rollback-copy-");
        CopyDirectory(redis.DataDirectory!, copy);
        return copy;
    }

    private static async Task RestoreAsync(RedisServer redis, string copy)
    {
        await redis.StopAsync();
        Directory.Delete(redis.DataDirectory!, recursive: true);
        CopyDirectory(copy, redis.DataDirectory!);
        await redis.StartAsync();
    }

    // The silo that wrote goes (its activations remember what storage lost); a new one is assigned every partition.
    private static async Task ReplaceSiloAsync(InventoryTestCluster cluster)
    {
        await cluster.StopSiloAsync(cluster.Silos[0]);
        await cluster.StartSiloAsync();
        await cluster.WaitForStableAssignmentAsync();
    }

    private static Task WaitUntilCheckedAsync(RollbackDetector detector) =>
        Eventually.TrueAsync(() => detector.Status.Checking.Count == 0, Patience, "every due rollback check ran");

    private static string[] RolledBackInLog(Orleans.TestingHost.InProcessSiloHandle silo) =>
        [.. Service<CapturedLogs>(silo).Entries
            .Where(e => e.Level == LogLevel.Error && e.Values.ContainsKey("ProductId") && e.Message.StartsWith("State of product", StringComparison.Ordinal))
            .Select(e => (string)e.Values["ProductId"]!)
            .Order(StringComparer.Ordinal)];

    private static async Task<ReadinessCheck> StateCheckAsync(InventoryTestCluster cluster)
    {
        return (await SiloReadiness.Probe(cluster).CheckAsync(CancellationToken.None)).Checks["state"];
    }

    private static async Task AssertProgressAtCommittedAsync(InventoryTestCluster cluster)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        var progress = (await redis.GetDatabase().HashGetAllAsync(IngestProgressStore.ProgressKeyOf(cluster.Orleans.Options.ServiceId)))
            .ToDictionary(e => (string)e.Name!, e => (long)e.Value, StringComparer.Ordinal);
        foreach (var (partition, committed) in cluster.Client!.Committed(GroupId, Topics.Events).Where(c => c.Value >= 0))
        {
            Assert.Equal(committed, progress.GetValueOrDefault(IngestProgressStore.FieldOf(new TopicPartition(Topics.Events, partition))));
        }
    }

    // What the receipts of both phases add up to for a product (1 + 2 + 3 in the first, 10 + 11 in the second).
    private static long OnHand(string productId) =>
        (Kept.Contains(productId) || Lost.Contains(productId) ? 6 : 0) + (Lost.Contains(productId) || Fresh.Contains(productId) ? 21 : 0);

    private static InventoryEvent Receipt(string productId, string eventId, long quantity) =>
        new(eventId, InventoryEventType.Receipt, productId, quantity, ScenarioGenerator.Epoch);

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>Sums <c>inventory.state.rollbacks</c> of every silo in this process (the tests run one at a time).</summary>
    private sealed class RollbackCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public RollbackCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "InventoryOrleans.Ingest" && instrument.Name == "inventory.state.rollbacks")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
