using System.Diagnostics;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Stats;
using InventoryOrleans.Grains.Stats;
using InventoryOrleans.Ingest.Stats;
using InventoryOrleans.Telemetry.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using Orleans.TestingHost;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Telemetry.Tests.Stats;

/// <summary>The cluster's ingest stats on two silos of the inventory test cluster, read through a client as the Api host reads them.</summary>
public sealed class ClusterStatsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ClusterStats_KnownFeedOnTwoSilos_SumsEachSilosSnapshotAndListsItsPartitions()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2);
        KnownFeed.Produce(cluster.Client!);
        await cluster.WaitForAllCommittedAsync(Patience);
        var partitions = cluster.Client!.Partitions(Topics.Events).Count;

        // Reports come every second: wait for the ones taken after the last outcome was counted.
        ClusterStats stats = null!;
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    stats = await cluster.Grains.GetClusterStatsGrain().GetAsync();
                    var totals = stats.Totals;
                    return stats.Silos.Length == 2
                        && totals.Applied + totals.Duplicate + totals.Rejected + totals.DeadLettered == KnownFeed.Messages
                        && stats.Lag.Length == Topics.Inputs.Count * partitions && totals.TotalLag == 0;
                },
                Patience,
                "the stats grain lists both silos with every outcome and the lag of every partition");
        }
        catch (TimeoutException)
        {
            output.WriteLine(System.Text.Json.JsonSerializer.Serialize(stats with { History = [] }));
            throw;
        }

        // The known feed, summed over the silos.
        var sum = stats.Totals;
        Assert.Equal(KnownFeed.Messages, sum.Messages);
        Assert.Equal(KnownFeed.MessagesByTopic.OrderBy(p => p.Key), sum.MessagesByTopic.OrderBy(p => p.Key));
        Assert.Equal(KnownFeed.Applied, sum.Applied);
        Assert.Equal(KnownFeed.Duplicate, sum.Duplicate);
        Assert.Equal(KnownFeed.RejectedByReason.Values.Sum(), sum.Rejected);
        Assert.Equal(KnownFeed.RejectedByReason.OrderBy(p => p.Key), sum.RejectedByReason.OrderBy(p => p.Key));
        Assert.Equal(KnownFeed.DeadLetteredByReason.Values.Sum(), sum.DeadLettered);
        Assert.Equal(KnownFeed.DeadLetteredByReason.OrderBy(p => p.Key), sum.DeadLetteredByReason.OrderBy(p => p.Key));
        Assert.Equal(0, sum.Pauses);

        // Each silo's entry is its own snapshot (the feed is over, so the counters stand still) and its own partitions.
        foreach (var silo in cluster.Silos)
        {
            var reported = Assert.Single(stats.Silos, s => s.Silo == silo.SiloAddress.ToString());
            var own = SiloStatsFactory.Counters(InventoryTestCluster.Metrics(silo).Snapshot());
            Assert.Equal(own with { EventsPerSecond = 0 }, reported.Counters with { EventsPerSecond = 0 }, IngestCountersComparer.Instance);
            Assert.Equal(Ownership(silo).Owned.Order(), reported.Partitions);
            Assert.NotEmpty(reported.Partitions);
            Assert.All(reported.Lag, l => Assert.Contains(l.Partition, reported.Partitions));
            Assert.False(reported.Paused);
            Assert.True(reported.Kafka.Ok, reported.Kafka.Detail);
            Assert.True(reported.Redis.Ok, reported.Redis.Detail);
        }

        Assert.Equal(Enumerable.Range(0, partitions), stats.Silos.SelectMany(s => s.Partitions).Order());
        Assert.Equal(
            cluster.Silos.Select(s => InventoryTestCluster.Metrics(s).Snapshot()).Sum(s => s.EventsConsumed),
            stats.Silos.Sum(s => s.Counters.Messages));

        // History for the charts: one sample a second, the latest one with every message read.
        await Eventually.TrueAsync(
            async () => (await cluster.Grains.GetClusterStatsGrain().GetAsync()).History is { Length: > 0 } history && history[^1].Messages == KnownFeed.Messages,
            TimeSpan.FromSeconds(10),
            "the latest history sample has every message read");
        var samples = (await cluster.Grains.GetClusterStatsGrain().GetAsync()).History;
        Assert.All(samples.Zip(samples.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= ClusterStatsBook.SampleEvery));
    }

    [Fact]
    public async Task ClusterStats_SiloKilled_DropsOutAfterFiveSilentSeconds()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2);
        var host = await StatsGrainHostAsync(cluster);
        var victim = cluster.Silos.Single(s => !s.SiloAddress.Equals(host));

        var (_, lastReport) = await KillAndWaitForOneSiloAsync(cluster, victim);

        // Measured from the victim's last report as the stats listed it, not from the kill: how long the kill itself takes
        // on a busy machine says nothing about the stats. The report reached the grain after the silo took it, so the silo
        // cannot have been dropped before it was silent for MissingAfter.
        var silent = DateTimeOffset.UtcNow - lastReport!.Value;
        output.WriteLine($"{victim.Name} dropped out {silent.TotalSeconds:0.00} s after its last report");
        Assert.InRange(silent, ClusterStatsBook.MissingAfter, ClusterStatsBook.MissingAfter + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ClusterStats_SiloHoldingTheStatsGrainKilled_NewActivationRefilledByTheSurvivor()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2);
        var host = await StatsGrainHostAsync(cluster);
        var victim = cluster.Silos.Single(s => s.SiloAddress.Equals(host));

        var (clock, _) = await KillAndWaitForOneSiloAsync(cluster, victim);

        Assert.True(clock < ClusterStatsBook.MissingAfter + TimeSpan.FromSeconds(5), $"listed the survivor alone only after {clock}");
    }

    // Waits until both silos report, then returns the silo the stats grain is active on.
    private static async Task<SiloAddress> StatsGrainHostAsync(InventoryTestCluster cluster)
    {
        await Eventually.TrueAsync(
            async () => (await cluster.Grains.GetClusterStatsGrain().GetAsync()).Silos.Length == 2,
            Patience,
            "both silos report");
        var activations = await cluster.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return activations.Single(a => a.GrainId.Equals(cluster.Grains.GetClusterStatsGrain().GetGrainId())).SiloAddress;
    }

    // Kills the silo and waits until the stats list the other one alone; returns how long that took and when the victim
    // took the last report the stats were seen to list (null when the stats could not be read while it was listed).
    private async Task<(TimeSpan Clock, DateTimeOffset? LastReport)> KillAndWaitForOneSiloAsync(InventoryTestCluster cluster, InProcessSiloHandle victim)
    {
        var survivor = cluster.Silos.Single(s => s != victim);
        var victimAddress = victim.SiloAddress.ToString();
        DateTimeOffset? lastReport = null;
        void Note(ClusterStats read)
        {
            if (read.Silos.FirstOrDefault(s => s.Silo == victimAddress) is { } report && (lastReport is null || report.At > lastReport))
            {
                lastReport = report.At;
            }
        }

        Note(await cluster.Grains.GetClusterStatsGrain().GetAsync());
        await cluster.KillSiloAsync(victim);
        var clock = Stopwatch.StartNew();
        ClusterStats? stats = null;
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    // A call to a grain on the dead silo fails until the cluster has declared it dead.
                    stats = await cluster.Grains.GetClusterStatsGrain().GetAsync().WaitAsync(TimeSpan.FromSeconds(2));
                    Note(stats);
                    return stats.Silos.Length == 1;
                }
                catch (Exception e) when (e is not ObjectDisposedException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            "the killed silo drops out of the stats");
        output.WriteLine($"{victim.Name} dropped out after {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal(survivor.SiloAddress.ToString(), stats!.Silos.Single().Silo);
        return (clock.Elapsed, lastReport);
    }

    // Records holding dictionaries compare them by reference; these compare by content.
    private sealed class IngestCountersComparer : IEqualityComparer<IngestCounters>
    {
        public static readonly IngestCountersComparer Instance = new();

        public bool Equals(IngestCounters? x, IngestCounters? y) => x is not null && y is not null
            && x with { MessagesByTopic = [], RejectedByReason = [], DeadLetteredByReason = [] } == y with { MessagesByTopic = [], RejectedByReason = [], DeadLetteredByReason = [] }
            && Same(x.MessagesByTopic, y.MessagesByTopic) && Same(x.RejectedByReason, y.RejectedByReason) && Same(x.DeadLetteredByReason, y.DeadLetteredByReason);

        public int GetHashCode(IngestCounters obj) => obj.Messages.GetHashCode();

        private static bool Same(IReadOnlyDictionary<string, long> x, IReadOnlyDictionary<string, long> y) =>
            x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}
