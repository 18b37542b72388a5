namespace InventoryOrleans.Grains.Interfaces.Stats;

/// <summary>
/// The ingest's numbers, cluster-wide, for the inventory page: every silo reports its own every second and any client
/// (the Api host) reads the sum. Kept in memory only: a new activation is filled again by the next round of reports,
/// within a second (its history starts over). One per cluster: get it with <see cref="ClusterStatsGrainExtensions.GetClusterStatsGrain"/>.
/// </summary>
[Alias("inventory.IClusterStatsGrain")]
public interface IClusterStatsGrain : IGrainWithIntegerKey
{
    /// <summary>Records what <paramref name="report"/>'s silo counts now; a silo that stops reporting drops out after a few seconds.</summary>
    [Alias("Report")]
    Task ReportAsync(SiloStats report);

    /// <summary>The silos that reported lately, their sum and the recent history.</summary>
    [Alias("Get")]
    Task<ClusterStats> GetAsync();
}
