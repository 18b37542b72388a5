using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace InventoryOrleans.Grains.Watching;

/// <summary>
/// One product activation's watchers: the watch lease (in the activation, in the silo's <see cref="WatchLeases"/>, and
/// in the state's next write) and the stream its stock goes out on while watched.
/// </summary>
internal sealed class StockWatch(WatchLeases leases, TimeProvider time, ILogger logger, Func<IAsyncStream<StockView>> openStream)
{
    // Created on first use: a product never watched never looks its stream up.
    private IAsyncStream<StockView>? _stream;

    /// <summary>
    /// Extends the watch to <paramref name="until"/>. Nothing is written for a watch: the lease is held by this
    /// activation and by the silo (for the product's next activation here), and reaches storage with the product's own
    /// next write — so a product only read or watched keeps nothing, and a watched one is not rewritten for it. In memory
    /// it also travels with a migration.
    /// </summary>
    public void Extend(ProductLedger ledger, DateTimeOffset until)
    {
        leases.Extend(ledger.ProductId, until);
        Adopt(ledger.State, until);
    }

    /// <summary>A watch made through an earlier activation on this silo goes on (in memory; saved with the next write).</summary>
    public void Restore(ProductLedger ledger)
    {
        if (leases.Until(ledger.ProductId) is { } lease)
        {
            Adopt(ledger.State, lease);
        }
    }

    /// <summary>
    /// Publishes the stock, only while someone watches: a stream nobody consumes would still cost a queue call and a
    /// pub-sub lookup per product change. The change is persisted already; a failed publish is logged, not rethrown.
    /// </summary>
    public async Task PublishAsync(ProductLedger ledger, StockView stock)
    {
        if (ledger.State.WatchedUntil is not { } watched || watched < time.GetUtcNow())
        {
            return;
        }

        try
        {
            _stream ??= openStream();
            await _stream.OnNextAsync(stock);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            ProductGrainLog.StockPublishFailed(logger, ledger.ProductId, exception);
        }
    }

    private static void Adopt(ProductState state, DateTimeOffset until)
    {
        if (state.WatchedUntil is not { } watched || watched < until)
        {
            state.WatchedUntil = until;
        }
    }
}
