using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using InventoryOrleans.Grains.Interfaces;
using Orleans.Streams;

namespace InventoryOrleans.Api.Watching;

/// <summary>
/// One client's watch of some products: subscribes to each product's stock stream first, then asks each grain to
/// publish (<see cref="IProductGrain.WatchAsync"/>, which answers the current stock), then yields that current stock
/// and every later change in version order per product, dropping anything not newer than what was sent. Renews the
/// grains' leases while it is read (a renewal that finds a newer stock than sent yields it too). Disposing it removes
/// every stream subscription.
/// </summary>
/// <remarks>
/// What waits for the reader is one stock per product: a newer one replaces the one waiting (the reader skips to the
/// newest, which is what a page showing the stock needs), and products are taken in the order they became due. So a
/// reader that falls behind costs at most one stock per watched product, however fast the products change. A reader
/// that leaves a stock waiting longer than the watch's maximum lag (a client that stopped reading: its writes block)
/// is <em>overrun</em>: the watch drops what waits, stops yielding and says why (<see cref="EndReason"/>); the
/// reader, whose write is still blocked, gets as long again to finish it and take the end, then
/// <see cref="Cutoff"/> fires so that its write gives up (which drops the connection).
/// </remarks>
public sealed partial class StockWatch : IAsyncDisposable
{
    /// <summary>How long a grain publishes after one call; renewed every third of it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private readonly IClusterClient _cluster;
    private readonly IReadOnlyList<string> _productIds;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxLag;
    private readonly WatchMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // The newest stock not sent yet per product, and the products in the order they became due (each once).
    private readonly Dictionary<string, Waiting> _waiting = new(StringComparer.Ordinal);
    private readonly Queue<string> _due = new();
    private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
    private readonly List<StreamSubscriptionHandle<StockView>> _subscriptions = [];
    private readonly CancellationTokenSource _cutoff = new();
    private readonly ITimer _lagCheck;
    private ITimer? _cutoffTimer;
    private TaskCompletionSource _changed = NewSignal();
    private string? _endReason;
    private int _disposed;

    private StockWatch(IClusterClient cluster, IReadOnlyList<string> productIds, TimeProvider time, TimeSpan maxLag, WatchMetrics metrics, ILogger logger)
    {
        _cluster = cluster;
        _productIds = productIds;
        _time = time;
        _maxLag = maxLag;
        _metrics = metrics;
        _logger = logger;
        _metrics.Opened();

        // Checked on a timer rather than when a change arrives: a stuck reader stops renewing the leases, so changes
        // stop arriving, and it must still be ended. An overrun is noticed within a quarter of the lag after it.
        var period = maxLag / 4;
        _lagCheck = time.CreateTimer(_ => CheckLag(), null, period, period);
    }

    /// <summary>Subscribes to every product (ids must be valid and distinct) and starts their leases.</summary>
    public static async Task<StockWatch> StartAsync(IClusterClient cluster, IReadOnlyList<string> productIds, TimeProvider time, TimeSpan maxLag, WatchMetrics metrics, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(productIds);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxLag, TimeSpan.Zero);
        var watch = new StockWatch(cluster, productIds, time, maxLag, metrics, logger);
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

    /// <summary>Why the watch ended on its own (its reader fell behind); null while it runs.</summary>
    public string? EndReason
    {
        get
        {
            lock (_gate)
            {
                return _endReason;
            }
        }
    }

    /// <summary>
    /// Fires when the watch was overrun and its reader did not take the end within the maximum lag either: writes to
    /// the client give up then.
    /// </summary>
    public CancellationToken Cutoff => _cutoff.Token;

    /// <summary>
    /// The current stock of each product that exists, then each change, until <paramref name="cancellationToken"/>
    /// fires (an <see cref="OperationCanceledException"/>) or the watch is overrun (the enumeration ends, and
    /// <see cref="EndReason"/> says why).
    /// </summary>
    public async IAsyncEnumerable<StockView> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var renewals = new PeriodicTimer(Lease / 3, _time);
        var renewal = renewals.WaitForNextTickAsync(cancellationToken).AsTask();
        while (true)
        {
            // Captured before looking, so a change offered after the look completes this very signal.
            var changed = Volatile.Read(ref _changed).Task;
            while (TryTake(out var stock))
            {
                yield return stock;
                if (renewal.IsCompleted)
                {
                    // A reader that never runs dry must still keep the grains publishing.
                    break;
                }
            }

            if (EndReason is not null)
            {
                yield break;
            }

            if (renewal.IsCompleted || await Task.WhenAny(changed, renewal).WaitAsync(cancellationToken) == renewal)
            {
                await renewal;
                await RenewAsync(cancellationToken);
                renewal = renewals.WaitForNextTickAsync(cancellationToken).AsTask();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Timer callbacks still running finish first: none touches what is disposed below afterwards.
        await _lagCheck.DisposeAsync();
        ITimer? cutoffTimer;
        lock (_gate)
        {
            _endReason ??= "the watch was closed";
            Drop();
            cutoffTimer = _cutoffTimer;
        }

        if (cutoffTimer is not null)
        {
            await cutoffTimer.DisposeAsync();
        }

        _metrics.Closed();
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
        _cutoff.Dispose();
    }

    // Leases are renewed for every product; the answer is the current stock, which goes out when newer than sent (the
    // first answer is the stock a new watcher starts with; products never changed, version 0, send nothing).
    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var stocks = await Task.WhenAll(_productIds.Select(id => _cluster.GetProductGrain(id).WatchAsync(Lease))).WaitAsync(cancellationToken);
        foreach (var stock in stocks.Where(s => s.Version > 0))
        {
            await Offer(stock);
        }
    }

    // Called by the stream for each change (concurrently for different products) and by renewals.
    private Task Offer(StockView stock)
    {
        lock (_gate)
        {
            if (_endReason is not null || stock.Version <= _sent.GetValueOrDefault(stock.ProductId))
            {
                return Task.CompletedTask;
            }

            if (_waiting.TryGetValue(stock.ProductId, out var waiting))
            {
                // Already due, with its place in line and its waiting time: only the newest stock goes out.
                if (stock.Version > waiting.Stock.Version)
                {
                    _waiting[stock.ProductId] = waiting with { Stock = stock };
                }

                return Task.CompletedTask;
            }

            _waiting[stock.ProductId] = new Waiting(stock, _time.GetTimestamp());
            _due.Enqueue(stock.ProductId);
            _metrics.Pending(1);
        }

        Signal();
        return Task.CompletedTask;
    }

    private bool TryTake([MaybeNullWhen(false)] out StockView stock)
    {
        lock (_gate)
        {
            if (_due.TryDequeue(out var productId))
            {
                stock = _waiting[productId].Stock;
                _waiting.Remove(productId);
                _sent[productId] = stock.Version;
                _metrics.Pending(-1);
                return true;
            }
        }

        stock = null;
        return false;
    }

    // The stock first in line has waited longer than the maximum lag: the reader is not reading. What waits is
    // dropped and the reader is ended; it has as long again to take the end before its writes are cut off.
    private void CheckLag()
    {
        TimeSpan waited;
        lock (_gate)
        {
            if (_endReason is not null || !_due.TryPeek(out var first))
            {
                return;
            }

            waited = _time.GetElapsedTime(_waiting[first].Since);
            if (waited <= _maxLag)
            {
                return;
            }

            _endReason = string.Create(
                CultureInfo.InvariantCulture,
                $"the watcher left a change unread for {waited.TotalSeconds:0.#} s, longer than Watch:MaxLag ({_maxLag.TotalSeconds:0.#} s): the watch ends; watch again to get the current stock");
            Drop();
            _cutoffTimer = _time.CreateTimer(_ => Cut(), null, _maxLag, Timeout.InfiniteTimeSpan);
        }

        _metrics.Overrun();
        Log.Overrun(_logger, _productIds.Count, waited, _maxLag);
        Signal();
    }

    private void Cut()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _cutoff.Cancel();
        }
    }

    // Under the gate.
    private void Drop()
    {
        _metrics.Pending(-_due.Count);
        _waiting.Clear();
        _due.Clear();
    }

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly record struct Waiting(StockView Stock, long Since);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "A watch of {Products} products is ended: its reader left a change unread for {Waited}, longer than Watch:MaxLag {MaxLag}")]
        public static partial void Overrun(ILogger logger, int products, TimeSpan waited, TimeSpan maxLag);
    }
}
