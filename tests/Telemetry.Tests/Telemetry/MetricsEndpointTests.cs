using System.Globalization;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Telemetry.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Telemetry.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> after a known feed through a silo of the inventory test cluster: Prometheus text that parses strictly,
/// the contract's names and attributes with the feed's exact counts, and the same numbers as the page's snapshot.
/// </summary>
public sealed class MetricsEndpointTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly string[] Stages = ["consume", "parse", "apply", "publish", "commit"];

    [Fact]
    public async Task Metrics_AfterAKnownFeed_IngestCountersLagAndBatchHistogramsHoldItsExactNumbersBesideOrleansSeries()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        await using var host = await TelemetryHost.StartAsync();
        var silo = cluster.Silos[0];
        var partitions = cluster.Client!.Partitions(Topics.Events).Count;

        KnownFeed.Produce(cluster.Client);
        await cluster.WaitForAllCommittedAsync(Patience);

        var metrics = InventoryTestCluster.Metrics(silo);
        var scrape = await ScrapeOnceSettledAsync(host, metrics, Topics.Inputs.Count * partitions);
        var snapshot = metrics.Snapshot();

        var messages = scrape.Family("inventory_ingest_messages_total");
        Assert.Equal("counter", messages.Type);
        Assert.False(string.IsNullOrWhiteSpace(messages.Help));
        Assert.Equal(KnownFeed.MessagesByTopic.OrderBy(p => p.Key), messages.Samples.Select(s => KeyValuePair.Create(s.Labels["topic"], (long)s.Value)).OrderBy(p => p.Key));

        var outcomes = scrape.Family("inventory_ingest_outcomes_total");
        Assert.Equal("counter", outcomes.Type);
        var expectedOutcomes = new List<(string Status, string? Reason, long Count)>
        {
            ("applied", null, KnownFeed.Applied),
            ("duplicate", null, KnownFeed.Duplicate),
        };
        expectedOutcomes.AddRange(KnownFeed.RejectedByReason.Select(p => ("rejected", (string?)p.Key, p.Value)));
        expectedOutcomes.AddRange(KnownFeed.DeadLetteredByReason.Select(p => ("dead_lettered", (string?)p.Key, p.Value)));
        Assert.Equal(
            expectedOutcomes.Select(o => $"{o.Status}/{o.Reason}={o.Count}").Order(),
            outcomes.Samples.Select(s => $"{s.Labels["status"]}/{s.Labels.GetValueOrDefault("reason")}={s.Value}").Order());

        // The page's snapshot counts the same.
        Assert.Equal(KnownFeed.Messages, snapshot.EventsConsumed);
        Assert.Equal(KnownFeed.Applied, snapshot.OutcomesByStatus[OutcomeStatus.Applied]);
        Assert.Equal(KnownFeed.RejectedByReason.OrderBy(p => p.Key), snapshot.RejectedByReason.OrderBy(p => p.Key));
        Assert.Equal(KnownFeed.DeadLetteredByReason.OrderBy(p => p.Key), snapshot.DeadLetteredByReason.OrderBy(p => p.Key));

        var lag = scrape.Family("inventory_ingest_lag");
        Assert.Equal("gauge", lag.Type);
        var expectedSeries = Topics.Inputs.SelectMany(t => Enumerable.Range(0, partitions).Select(p => $"{t}/{p}")).Order();
        Assert.Equal(expectedSeries, lag.Samples.Select(s => $"{s.Labels["topic"]}/{s.Labels["partition"]}").Order());
        Assert.Equal(expectedSeries, snapshot.Lag.Select(l => $"{l.Topic}/{l.Partition}").Order());

        var durations = scrape.Family("inventory_ingest_batch_duration_seconds");
        Assert.Equal("histogram", durations.Type);
        Assert.True(snapshot.Batches >= 1);
        foreach (var stage in Stages)
        {
            var count = durations.Where("inventory_ingest_batch_duration_seconds_count", ("stage", stage)).Single().Value;
            var sum = durations.Where("inventory_ingest_batch_duration_seconds_sum", ("stage", stage)).Single().Value;
            var buckets = durations.Where("inventory_ingest_batch_duration_seconds_bucket", ("stage", stage))
                .Select(s => (Le: ParseLe(s.Labels["le"]), s.Value))
                .OrderBy(b => b.Le)
                .ToList();

            // Without an outage every batch goes through each stage once.
            Assert.Equal(snapshot.Batches, count);
            // A tolerance, not rounding to n places: the exporter sums the same durations in another order, and two
            // values a hair apart can round to different sixth decimals (0.0003605 → 0.000360 vs 0.000361).
            Assert.Equal(snapshot.TimeByStage[Enum.Parse<IngestStage>(stage, ignoreCase: true)].TotalSeconds, sum, tolerance: 1e-9);
            Assert.True(buckets.Count > 2, $"{stage}: {buckets.Count} buckets");
            Assert.Equal(double.PositiveInfinity, buckets[^1].Le);
            Assert.Equal(count, buckets[^1].Value);
            Assert.All(buckets.Zip(buckets.Skip(1)), pair => Assert.True(pair.First.Value <= pair.Second.Value, $"{stage}: buckets are cumulative"));
        }

        Assert.Equal(["stage"], durations.Samples.SelectMany(s => s.Labels.Keys).Where(k => k is not ("le" or "otel_scope_name")).Distinct());

        var sizes = scrape.Family("inventory_ingest_batch_size");
        Assert.Equal(KnownFeed.Messages, sizes.Where("inventory_ingest_batch_size_sum").Single().Value);

        // Orleans' own meter, exported beside the ingest's.
        var orleans = scrape.Families.Values.Where(f => f.Name.StartsWith("orleans_", StringComparison.Ordinal)).ToList();
        Assert.True(orleans.Count >= 5, $"{orleans.Count} orleans_* families");
        Assert.Contains(orleans, f => f.Samples.Any(s => s.Value > 0));
    }

    // Committed offsets show before the batch is counted, and the lag is sampled once a second: scrapes until /metrics
    // shows every outcome, every committed batch and every partition's lag at 0 (and prints what it saw if it never does).
    private async Task<PrometheusScrape> ScrapeOnceSettledAsync(TelemetryHost host, IngestMetrics metrics, int lagSeries)
    {
        PrometheusScrape scrape = null!;
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    scrape = await host.ScrapeAsync();
                    return scrape.Families.TryGetValue("inventory_ingest_outcomes_total", out var outcomes)
                        && outcomes.Samples.Sum(s => s.Value) == KnownFeed.Messages
                        && scrape.Families.TryGetValue("inventory_ingest_process_duration_seconds", out var batches)
                        && batches.Where("inventory_ingest_process_duration_seconds_count").Single().Value == metrics.Snapshot().Batches
                        && scrape.Families.TryGetValue("inventory_ingest_lag", out var lag)
                        && lag.Samples.Count == lagSeries && lag.Samples.All(s => s.Value == 0);
                },
                Patience,
                "/metrics shows every outcome, every committed batch and the lag of every partition at 0");
            return scrape;
        }
        catch (TimeoutException)
        {
            foreach (var family in scrape.Families.Values.Where(f => f.Name.StartsWith("inventory_ingest_", StringComparison.Ordinal) && f.Type != "histogram"))
            {
                output.WriteLine($"{family.Name}: {string.Join(" ", family.Samples.Select(s => $"{string.Join(",", s.Labels.Where(l => l.Key != "otel_scope_name").Select(l => l.Value))}={s.Value}"))}");
            }

            output.WriteLine($"snapshot: {metrics.Snapshot().Batches} batches, {metrics.Snapshot().EventsConsumed} messages");
            throw;
        }
    }

    private static double ParseLe(string le) => le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
}
