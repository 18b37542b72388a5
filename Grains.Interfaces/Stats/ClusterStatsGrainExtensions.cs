namespace InventoryOrleans.Grains.Interfaces.Stats;

/// <summary>Finds the cluster's one <see cref="IClusterStatsGrain"/>.</summary>
public static class ClusterStatsGrainExtensions
{
    public static IClusterStatsGrain GetClusterStatsGrain(this IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IClusterStatsGrain>(0);
    }
}
