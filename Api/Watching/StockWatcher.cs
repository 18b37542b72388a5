namespace InventoryOrleans.Api.Watching;

/// <summary>Starts <see cref="StockWatch"/>es for the REST change stream and gRPC <c>WatchStock</c>.</summary>
public sealed class StockWatcher(IClusterClient cluster, TimeProvider time)
{
    public Task<StockWatch> WatchAsync(IReadOnlyList<string> productIds, CancellationToken cancellationToken) =>
        StockWatch.StartAsync(cluster, productIds, time, cancellationToken);
}
