using System.Collections.Immutable;

namespace InventoryOrleans.Grains.Interfaces.Stats;

/// <summary>The ingest of the whole cluster: what the inventory page shows.</summary>
/// <param name="At">When the stats grain answered.</param>
/// <param name="Totals">The sum of every listed silo's counters.</param>
/// <param name="Silos">The silos that reported within the last few seconds, by address.</param>
/// <param name="Lag">Consumer lag of every input topic-partition a listed silo owns, by topic and partition.</param>
/// <param name="History">One sample a second, oldest first, over the last few minutes (since the stats grain's activation).</param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.ClusterStats")]
public sealed record ClusterStats(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] IngestCounters Totals,
    [property: Id(2)] ImmutableArray<SiloStats> Silos,
    [property: Id(3)] ImmutableArray<PartitionLag> Lag,
    [property: Id(4)] ImmutableArray<StatsSample> History);
