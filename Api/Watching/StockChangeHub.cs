using System.Diagnostics.Metrics;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Api.Watching;

/// <summary>
/// The host's fan-out of stock changes: the one <see cref="NetStockTail"/> of the host hands every net stock it reads to
/// the subscribers of that product (each a <see cref="StockWatch"/>), so many watchers of one product cost one consumer.
/// Exports how many subscriptions it holds (<c>inventory.watch.subscriptions</c>), so a watcher that left without its
/// subscription being removed shows.
/// </summary>
public sealed class StockChangeHub
{
    private readonly Lock _gate = new();

    // Copied on write: a change is handed out on the tail's thread without taking the lock, and subscriptions change
    // only when a watch opens or closes.
    private readonly Dictionary<string, Action<StockView>[]> _subscribers = new(StringComparer.Ordinal);
    private int _count;

    public StockChangeHub(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        meters.Create(ApiMeter.Name).CreateObservableGauge(
            "inventory.watch.subscriptions",
            () => Count,
            "{subscription}",
            "Product subscriptions the stock watches of this host hold on its net-stock tail: one per watched product and watch");
    }

    /// <summary>How many subscriptions are held, over every product.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How many subscriptions <paramref name="productId"/> has.</summary>
    public int SubscribersOf(string productId)
    {
        lock (_gate)
        {
            return _subscribers.TryGetValue(productId, out var subscribers) ? subscribers.Length : 0;
        }
    }

    /// <summary>
    /// Hands <paramref name="onChange"/> each stock of <paramref name="productId"/> read from now on, on the tail's
    /// thread: it must not block (a watch only keeps the newest stock for its reader). Disposing the result ends it.
    /// </summary>
    public IDisposable Subscribe(string productId, Action<StockView> onChange)
    {
        ArgumentException.ThrowIfNullOrEmpty(productId);
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_gate)
        {
            _subscribers[productId] = _subscribers.TryGetValue(productId, out var held) ? [.. held, onChange] : [onChange];
            _count++;
        }

        return new Subscription(this, productId, onChange);
    }

    /// <summary>Hands <paramref name="stock"/> to its product's subscribers.</summary>
    public void Publish(StockView stock)
    {
        ArgumentNullException.ThrowIfNull(stock);
        Action<StockView>[]? subscribers;
        lock (_gate)
        {
            _subscribers.TryGetValue(stock.ProductId, out subscribers);
        }

        if (subscribers is null)
        {
            return;
        }

        foreach (var subscriber in subscribers)
        {
            subscriber(stock);
        }
    }

    private void Unsubscribe(string productId, Action<StockView> onChange)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(productId, out var held))
            {
                return;
            }

            var index = Array.IndexOf(held, onChange);
            if (index < 0)
            {
                return;
            }

            _count--;
            if (held.Length == 1)
            {
                // Nothing is kept for a product nobody watches any more.
                _subscribers.Remove(productId);
            }
            else
            {
                _subscribers[productId] = [.. held[..index], .. held[(index + 1)..]];
            }
        }
    }

    private sealed class Subscription(StockChangeHub hub, string productId, Action<StockView> onChange) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                hub.Unsubscribe(productId, onChange);
            }
        }
    }
}
