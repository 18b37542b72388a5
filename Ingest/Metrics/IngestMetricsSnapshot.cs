using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Stats;

namespace InventoryOrleans.Ingest.Metrics;

/// <summary>An immutable copy of <see cref="IngestMetrics"/> at one moment.</summary>
/// <param name="EventsConsumed">Input messages read, dead-lettered ones included (<c>inventory.ingest.messages</c>).</param>
/// <param name="LagByPartition">"topic/partition" → messages not yet consumed.</param>
/// <param name="RemoteGrainCalls">Apply-stage grain calls whose product grain was active on another silo.</param>
/// <param name="TimeByStage">Total time per <see cref="IngestStage"/>: consuming, parsing, applying (grains + storage), publishing, committing.</param>
/// <param name="BatchLatencyCounts">Counts per bucket of <see cref="IngestMetrics.LatencyBucketsMs"/>, plus one open bucket.</param>
/// <param name="ConsumedByTopic">Input topic → messages read from it.</param>
/// <param name="RejectedByReason">Rejection reason → rejected outcomes.</param>
/// <param name="DeadLetteredByReason"><c>dlq-reason</c> code → dead-lettered messages.</param>
/// <param name="Lag">The same lag as <paramref name="LagByPartition"/>, by topic and partition.</param>
/// <param name="Pauses">Times consumption was paused by an outage.</param>
/// <param name="Paused">Whether consumption is paused by an outage now.</param>
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
    IReadOnlyDictionary<IngestStage, TimeSpan> TimeByStage,
    IReadOnlyDictionary<string, long> ConsumedByTopic,
    IReadOnlyDictionary<string, long> RejectedByReason,
    IReadOnlyDictionary<string, long> DeadLetteredByReason,
    IReadOnlyList<PartitionLag> Lag,
    long Pauses,
    bool Paused)
{
    public long TotalLag => LagByPartition.Values.Sum();
}
