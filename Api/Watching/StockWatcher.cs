using InventoryOrleans.Api.Options;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Watching;

/// <summary>Starts <see cref="StockWatch"/>es for the REST change stream and gRPC <c>WatchStock</c>.</summary>
public sealed class StockWatcher(IGrainFactory grains, StockChangeHub hub, NetStockTail tail, TimeProvider time, IOptions<WatchOptions> options, WatchMetrics metrics, ILogger<StockWatch> logger)
{
    // How long a watch opened while the host's tail is still finding its start waits for it before reading the grains:
    // long enough for a reachable broker, short enough that a host whose broker is down still opens its streams.
    private static readonly TimeSpan TailWait = TimeSpan.FromSeconds(5);

    /// <summary>The longest a watcher may leave a change unread (<see cref="WatchOptions.MaxLag"/>).</summary>
    public TimeSpan MaxLag => options.Value.MaxLag;

    public Task<StockWatch> WatchAsync(IReadOnlyList<string> productIds, CancellationToken cancellationToken) =>
        StockWatch.StartAsync(grains, hub, tail.Reading, TailWait, productIds, time, options.Value.MaxLag, metrics, logger, cancellationToken);
}
