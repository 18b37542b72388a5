using System.Collections.Immutable;

namespace InventoryOrleans.Grains.Interfaces.Stats;

/// <summary>One silo's ingest as it reported it to the <see cref="IClusterStatsGrain"/>.</summary>
/// <param name="Silo">The silo's address (as Orleans prints it).</param>
/// <param name="Name">The silo's name.</param>
/// <param name="At">When the silo took the numbers (its own clock).</param>
/// <param name="Counters">Its counters since it started.</param>
/// <param name="Partitions">The input partition numbers it consumes (partition p of every input topic).</param>
/// <param name="Lag">The lag of each input topic-partition it consumes.</param>
/// <param name="PausedBecause">Why consumption is paused by an outage; null while it runs.</param>
/// <param name="Kafka">Whether the silo reaches the Kafka brokers.</param>
/// <param name="Redis">Whether the silo reaches Redis (grain state, reminders).</param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.SiloStats")]
public sealed record SiloStats(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] IngestCounters Counters,
    [property: Id(4)] ImmutableArray<int> Partitions,
    [property: Id(5)] ImmutableArray<PartitionLag> Lag,
    [property: Id(6)] string? PausedBecause,
    [property: Id(7)] Reachability Kafka,
    [property: Id(8)] Reachability Redis)
{
    public bool Paused => PausedBecause is not null;
}
