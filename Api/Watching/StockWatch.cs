using System.Threading.Channels;
using InventoryOrleans.Grains.Interfaces;
using Orleans.Streams;

namespace InventoryOrleans.Api.Watching;

/// <summary>
/// One client's watch of some products: subscribes to each product's stock stream first, then asks each grain to
/// publish (<see cref="IProductGrain.WatchAsync"/>, which answers the current stock), then yields that current stock
/// and every later change in version order per product, dropping anything not newer than what was sent. Renews the
/// grains' leases while it runs (a renewal that finds a newer stock than sent yields it too). Disposing it removes
/// every stream subscription.
/// </summary>
public sealed class StockWatch : IAsyncDisposable
{
    /// <summary>How long a grain publishes after one call; renewed every third of it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private readonly IClusterClient _cluster;
    private readonly IReadOnlyList<string> _productIds;
    private readonly TimeProvider _time;
    private readonly Channel<StockView> _changes = Channel.CreateUnbounded<StockView>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<StreamSubscriptionHandle<StockView>> _subscriptions = [];
    private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
    private int _disposed;

    private StockWatch(IClusterClient cluster, IReadOnlyList<string> productIds, TimeProvider time)
    {
        _cluster = cluster;
        _productIds = productIds;
        _time = time;
    }

    /// <summary>Subscribes to every product (ids must be valid and distinct) and starts their leases.</summary>
    public static async Task<StockWatch> StartAsync(IClusterClient cluster, IReadOnlyList<string> productIds, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(productIds);
        var watch = new StockWatch(cluster, productIds, time);
        try
        {
            var streams = cluster.GetStreamProvider(StockStreams.ProviderName);
            foreach (var productId in productIds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var handle = await streams.GetStream<StockView>(StockStreams.Of(productId))
                    .SubscribeAsync((stock, _) => watch.Offer(stock));
                watch._subscriptions.Add(handle);
            }

            await watch.RenewAsync(cancellationToken);
            return watch;
        }
        catch
        {
            await watch.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many stream subscriptions this watch holds (zero once disposed).</summary>
    public int Subscriptions => _subscriptions.Count;

    /// <summary>The current stock of each product that exists, then each change, until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<StockView> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var renewals = new PeriodicTimer(Lease / 3, _time);
        var renewal = renewals.WaitForNextTickAsync(cancellationToken).AsTask();
        while (!cancellationToken.IsCancellationRequested)
        {
            var available = _changes.Reader.WaitToReadAsync(cancellationToken).AsTask();
            var finished = await Task.WhenAny(available, renewal);
            if (finished == renewal)
            {
                await renewal;
                await RenewAsync(cancellationToken);
                renewal = renewals.WaitForNextTickAsync(cancellationToken).AsTask();
            }

            while (_changes.Reader.TryRead(out var stock))
            {
                if (stock.Version > _sent.GetValueOrDefault(stock.ProductId))
                {
                    _sent[stock.ProductId] = stock.Version;
                    yield return stock;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _changes.Writer.TryComplete();
        foreach (var subscription in _subscriptions)
        {
            try
            {
                await subscription.UnsubscribeAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The cluster is going away; its pub-sub state forgets a consumer that no longer answers.
            }
        }

        _subscriptions.Clear();
    }

    // Leases are renewed for every product; the answer is the current stock, which goes out when newer than sent (the
    // first answer is the stock a new watcher starts with; products never changed, version 0, send nothing).
    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var stocks = await Task.WhenAll(_productIds.Select(id => _cluster.GetGrain<IProductGrain>(id).WatchAsync(Lease))).WaitAsync(cancellationToken);
        foreach (var stock in stocks.Where(s => s.Version > 0))
        {
            await Offer(stock);
        }
    }

    private Task Offer(StockView stock)
    {
        _changes.Writer.TryWrite(stock);
        return Task.CompletedTask;
    }
}
