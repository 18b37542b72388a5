using InventoryOrleans.Grains.Interfaces.Stats;

namespace InventoryOrleans.Grains.Stats;

/// <summary>The cluster's ingest stats (see <see cref="IClusterStatsGrain"/>), kept in a <see cref="ClusterStatsBook"/> in memory.</summary>
internal sealed class ClusterStatsGrain(TimeProvider time) : Grain, IClusterStatsGrain
{
    private readonly ClusterStatsBook _book = new(time);

    public Task ReportAsync(SiloStats report)
    {
        _book.Report(report);
        return Task.CompletedTask;
    }

    public Task<ClusterStats> GetAsync() => Task.FromResult(_book.Read());
}
