namespace InventoryOrleans.Grains.Interfaces.Placement;

/// <summary>
/// Which silo consumes which input partition, cluster-wide; keyed by the consumer group. Every silo reports its own
/// assignment and reads everybody's, so any silo can place a product grain where its partition is consumed. Kept in
/// memory only: a new activation (its silo died) is filled again by the next round of reports, within a second.
/// </summary>
[Alias("inventory.IPartitionMapGrain")]
public interface IPartitionMapGrain : IGrainWithStringKey
{
    /// <summary>Records that <paramref name="silo"/> now consumes exactly <paramref name="partitions"/>; returns the whole map.</summary>
    [Alias("Report")]
    Task<PartitionMap> ReportAsync(SiloAddress silo, int[] partitions);
}
