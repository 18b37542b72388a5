using System.Diagnostics.Metrics;

namespace InventoryOrleans.Ingest.Metrics;

/// <summary>
/// The ingest's instruments on <see cref="System.Diagnostics.Metrics"/> (meter <see cref="MeterName"/>), named after
/// the OpenTelemetry conventions; OpenTelemetry's Prometheus exporter turns <c>inventory.ingest.messages</c> into
/// <c>inventory_ingest_messages_total</c> and a histogram in seconds into <c>…_seconds</c>. Only
/// <see cref="IngestMetrics"/> records into them, from the same calls that feed its snapshot.
/// </summary>
internal sealed class IngestInstruments
{
    public const string MeterName = "InventoryOrleans.Ingest";

    // Batches take from a millisecond (a few events, local grains) to seconds (a backlog, a slow store).
    private static readonly IReadOnlyList<double> SecondsBuckets = [.. IngestMetrics.LatencyBucketsMs.Select(ms => ms / 1_000), 10, 30];
    private static readonly IReadOnlyList<long> SizeBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000];
    private static readonly IReadOnlyList<double> PauseBuckets = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1_800, 3_600];

    public IngestInstruments(IMeterFactory meters, Func<IEnumerable<Measurement<long>>> observeLag, Func<int> observePaused)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        Messages = meter.CreateCounter<long>("inventory.ingest.messages", "{message}", "Input messages read, dead-lettered ones included");
        Outcomes = meter.CreateCounter<long>("inventory.ingest.outcomes", "{outcome}", "Messages decided: applied, duplicate or rejected by their product grain (with the rejection reason), or dead-lettered (with the dlq-reason code)");
        meter.CreateObservableGauge("inventory.ingest.lag", observeLag, "{message}", "Messages of an owned input topic-partition not consumed yet (high watermark minus position), sampled every second");
        BatchDuration = meter.CreateHistogram("inventory.ingest.batch.duration", "s", "Time a batch spent in one stage: consume, parse, apply, publish or commit (each attempt, during an outage too)", advice: Seconds);
        ProcessDuration = meter.CreateHistogram("inventory.ingest.process.duration", "s", "Time from a batch being parsed to its offsets being committed, outage retries included", advice: Seconds);
        BatchSize = meter.CreateHistogram("inventory.ingest.batch.size", "{message}", "Messages per committed batch", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
        PublishDuration = meter.CreateHistogram("inventory.ingest.publish.duration", "s", "One delivery of records (outcomes, net stock, dead letters) until every delivery report; error.type when some failed", advice: Seconds);
        CommitDuration = meter.CreateHistogram("inventory.ingest.commit.duration", "s", "One offset commit of a batch; error.type when it failed", advice: Seconds);
        Pauses = meter.CreateCounter<long>("inventory.ingest.pauses", "{pause}", "Times consumption was paused by an outage, by cause: storage or broker");
        meter.CreateObservableGauge("inventory.ingest.paused", observePaused, unit: null, "1 while consumption is paused by an outage, else 0");
        PauseDuration = meter.CreateHistogram("inventory.ingest.pause.duration", "s", "How long an outage pause lasted", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PauseBuckets });
        GrainCalls = meter.CreateCounter<long>("inventory.ingest.grain_calls", "{call}", "Product grain calls of the apply stage, by placement: local (the grain lives on the consuming silo) or remote");
        NetStockPublished = meter.CreateCounter<long>("inventory.net_stock.published", "{record}", "Net-stock records delivered to inventory.net-stock (by batches and by expiry releases)");
        ExpiryPublished = meter.CreateCounter<long>("inventory.expiry.published", "{record}", "Net-stock records delivered for products whose reservations expired");
        ExpiryPublishFailures = meter.CreateCounter<long>("inventory.expiry.publish_failures", "{release}", "Expiry releases whose publication attempt failed (its transaction did not commit, or the batch carrying it was given up); each goes out with a later attempt");
    }

    private static InstrumentAdvice<double> Seconds { get; } = new() { HistogramBucketBoundaries = SecondsBuckets };

    public Counter<long> Messages { get; }

    public Counter<long> Outcomes { get; }

    public Histogram<double> BatchDuration { get; }

    public Histogram<double> ProcessDuration { get; }

    public Histogram<long> BatchSize { get; }

    public Histogram<double> PublishDuration { get; }

    public Histogram<double> CommitDuration { get; }

    public Counter<long> Pauses { get; }

    public Histogram<double> PauseDuration { get; }

    public Counter<long> GrainCalls { get; }

    public Counter<long> NetStockPublished { get; }

    public Counter<long> ExpiryPublished { get; }

    public Counter<long> ExpiryPublishFailures { get; }
}
