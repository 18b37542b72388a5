using System.Collections.Immutable;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Stats;
using InventoryOrleans.Ingest.Metrics;

namespace InventoryOrleans.Ingest.Stats;

/// <summary>Turns this silo's <see cref="IngestMetricsSnapshot"/> into what it reports to the cluster's stats grain: the same numbers.</summary>
public static class SiloStatsFactory
{
    public static IngestCounters Counters(IngestMetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new IngestCounters(
            snapshot.EventsConsumed,
            snapshot.ConsumedByTopic.ToImmutableDictionary(StringComparer.Ordinal),
            snapshot.EventsPerSecond,
            snapshot.OutcomesByStatus[OutcomeStatus.Applied],
            snapshot.OutcomesByStatus[OutcomeStatus.Duplicate],
            snapshot.OutcomesByStatus[OutcomeStatus.Rejected],
            snapshot.RejectedByReason.ToImmutableDictionary(StringComparer.Ordinal),
            snapshot.DeadLettered,
            snapshot.DeadLetteredByReason.ToImmutableDictionary(StringComparer.Ordinal),
            snapshot.TotalLag,
            snapshot.Pauses);
    }

    public static SiloStats Create(
        string silo,
        string name,
        DateTimeOffset at,
        IngestMetricsSnapshot snapshot,
        IEnumerable<int> partitions,
        string? pausedBecause,
        Reachability kafka,
        Reachability redis)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new SiloStats(silo, name, at, Counters(snapshot), [.. partitions.Order()], [.. snapshot.Lag], pausedBecause, kafka, redis);
    }
}
