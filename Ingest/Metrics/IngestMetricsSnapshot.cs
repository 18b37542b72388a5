using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Ingest.Metrics;

/// <summary>An immutable copy of <see cref="IngestMetrics"/> at one moment.</summary>
/// <param name="LagByPartition">"topic/partition" → messages not yet consumed.</param>
/// <param name="RemoteGrainCalls">Apply-stage grain calls whose product grain was active on another silo.</param>
/// <param name="TimeByStage">Total time per <see cref="IngestStage"/>: consuming, parsing, applying (grains + storage), publishing, committing.</param>
/// <param name="BatchLatencyCounts">Counts per bucket of <see cref="IngestMetrics.LatencyBucketsMs"/>, plus one open bucket.</param>
public sealed record IngestMetricsSnapshot(
    long EventsConsumed,
    double EventsPerSecond,
    long DeadLettered,
    long Batches,
    long NetStockPublished,
    long ExpiryReleases,
    long GrainCalls,
    long RemoteGrainCalls,
    IReadOnlyDictionary<OutcomeStatus, long> OutcomesByStatus,
    IReadOnlyDictionary<string, long> LagByPartition,
    IReadOnlyList<long> BatchLatencyCounts,
    IReadOnlyDictionary<IngestStage, TimeSpan> TimeByStage)
{
    public long TotalLag => LagByPartition.Values.Sum();
}
