using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Api.Watching;

/// <summary>
/// One client's watch of some products: subscribes to each product on the host's <see cref="StockChangeHub"/> first
/// (fed by the host's <see cref="NetStockTail"/> of <c>inventory.net-stock</c>, committed changes only), then reads each
/// product's current stock from its grain (<see cref="IProductGrain.GetStockAsync"/>, which keeps nothing for a product
/// never changed), then yields that current stock and every later change in version order per product, dropping
/// anything not newer than what was sent — so the tail racing the first read never sends a duplicate or an older
/// version. Disposing it removes every subscription.
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
    private readonly List<IDisposable> _subscriptions = [];
    private readonly CancellationTokenSource _cutoff = new();
    private readonly ITimer _lagCheck;
    private ITimer? _cutoffTimer;
    private TaskCompletionSource _changed = NewSignal();
    private string? _endReason;
    private int _disposed;

    private StockWatch(IReadOnlyList<string> productIds, TimeProvider time, TimeSpan maxLag, WatchMetrics metrics, ILogger logger)
    {
        _productIds = productIds;
        _time = time;
        _maxLag = maxLag;
        _metrics = metrics;
        _logger = logger;
        _metrics.Opened();

        // Checked on a timer rather than when a change arrives: a stuck reader must be ended even when its products
        // stop changing. An overrun is noticed within a quarter of the lag after it.
        var period = maxLag / 4;
        _lagCheck = time.CreateTimer(_ => CheckLag(), null, period, period);
    }

    /// <summary>
    /// Subscribes to every product (ids must be valid and distinct), then offers each product's current stock from its
    /// grain. <paramref name="tailReading"/> completes once the host's tail knows where it starts: the grains are read
    /// after it (or after <paramref name="tailWait"/>, for a host whose broker is not reachable yet), so no change
    /// committed between the read and the tail's start is missed.
    /// </summary>
    public static async Task<StockWatch> StartAsync(IGrainFactory grains, StockChangeHub hub, Task tailReading, TimeSpan tailWait, IReadOnlyList<string> productIds, TimeProvider time, TimeSpan maxLag, WatchMetrics metrics, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(tailReading);
        ArgumentNullException.ThrowIfNull(productIds);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxLag, TimeSpan.Zero);
        var watch = new StockWatch(productIds, time, maxLag, metrics, logger);
        try
        {
            foreach (var productId in productIds)
            {
                watch._subscriptions.Add(hub.Subscribe(productId, watch.Offer));
            }

            if (!tailReading.IsCompleted)
            {
                await Task.WhenAny(tailReading, Task.Delay(tailWait, time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }

            // The first message is the current stock; products never changed (version 0) send nothing until they change.
            var stocks = await Task.WhenAll(productIds.Select(id => grains.GetProductGrain(id).GetStockAsync())).WaitAsync(cancellationToken);
            foreach (var stock in stocks.Where(s => s.Version > 0))
            {
                watch.Offer(stock);
            }

            return watch;
        }
        catch
        {
            await watch.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many product subscriptions this watch holds on the host's hub (zero once disposed).</summary>
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
        while (true)
        {
            // Captured before looking, so a change offered after the look completes this very signal.
            var changed = Volatile.Read(ref _changed).Task;
            while (TryTake(out var stock))
            {
                yield return stock;
            }

            if (EndReason is not null)
            {
                yield break;
            }

            await changed.WaitAsync(cancellationToken);
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
            subscription.Dispose();
        }

        _subscriptions.Clear();
        _cutoff.Dispose();
    }

    // Called on the tail's thread for each change and by the first read of the grains.
    private void Offer(StockView stock)
    {
        lock (_gate)
        {
            if (_endReason is not null || stock.Version <= _sent.GetValueOrDefault(stock.ProductId))
            {
                return;
            }

            if (_waiting.TryGetValue(stock.ProductId, out var waiting))
            {
                // Already due, with its place in line and its waiting time: only the newest stock goes out.
                if (stock.Version > waiting.Stock.Version)
                {
                    _waiting[stock.ProductId] = waiting with { Stock = stock };
                }

                return;
            }

            _waiting[stock.ProductId] = new Waiting(stock, _time.GetTimestamp());
            _due.Enqueue(stock.ProductId);
            _metrics.Pending(1);
        }

        Signal();
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
