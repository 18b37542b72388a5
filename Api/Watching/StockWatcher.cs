using InventoryOrleans.Api.Options;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Watching;

/// <summary>Starts <see cref="StockWatch"/>es for the REST change stream and gRPC <c>WatchStock</c>.</summary>
public sealed class StockWatcher(IClusterClient cluster, TimeProvider time, IOptions<WatchOptions> options, WatchMetrics metrics, ILogger<StockWatch> logger)
{
    /// <summary>The longest a watcher may leave a change unread (<see cref="WatchOptions.MaxLag"/>).</summary>
    public TimeSpan MaxLag => options.Value.MaxLag;

    public Task<StockWatch> WatchAsync(IReadOnlyList<string> productIds, CancellationToken cancellationToken) =>
        StockWatch.StartAsync(cluster, productIds, time, options.Value.MaxLag, metrics, logger, cancellationToken);
}
