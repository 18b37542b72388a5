namespace InventoryOrleans.Grains.Interfaces;

/// <summary>One product's stock; keyed by productId. Applies the event rules of CONTRACTS.md exactly once in effect.</summary>
[Alias("inventory.IProductGrain")]
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a product's events of one consumed batch in order and persists once at the end (coalescing): the
    /// ingest pipeline's call. A storage failure throws and leaves the activation to reload from storage; a stale
    /// ETag throws <see cref="Orleans.Storage.InconsistentStateException"/> (another activation wrote meanwhile).
    /// </summary>
    [Alias("ApplyBatch")]
    Task<BatchApplyResult> ApplyBatchAsync(IReadOnlyList<PositionedEvent> events);

    /// <summary>The current stock (version 0 and zeros for a product no event was ever applied to).</summary>
    [Alias("GetStock")]
    [Orleans.Concurrency.ReadOnly]
    Task<StockView> GetStockAsync();

    /// <summary>
    /// The decision about <paramref name="eventId"/>, posted at <paramref name="position"/>: at once when the eventId was
    /// decided before (by that message or an earlier one: the original decision), else as soon as the grain decides it
    /// and has persisted it; null when that takes longer than <paramref name="maxWait"/> or the activation goes away
    /// (ask again). Interleaves with the grain's other calls, so waiting never holds up the events being waited for.
    /// </summary>
    [Alias("WaitForDecision")]
    [Orleans.Concurrency.AlwaysInterleave]
    [ResponseTimeout("00:01:00")]
    Task<EventDecision?> WaitForDecisionAsync(string eventId, EventPosition position, TimeSpan maxWait);

    /// <summary>
    /// Starts (or renews) publishing this product's stock on its stream (<see cref="StockStreams"/>) after each
    /// persisted change, for <paramref name="lease"/> from now (the lease is persisted, so it survives the grain moving
    /// or restarting); returns the current stock. A watcher subscribes to the stream first, then calls this, then renews
    /// well before the lease runs out: it then misses no change.
    /// </summary>
    [Alias("Watch")]
    Task<StockView> WatchAsync(TimeSpan lease);

    /// <summary>The current stock and the low-stock alerts raised by expiry releases not yet confirmed published.</summary>
    [Alias("GetExpiryPublication")]
    Task<ExpiryPublication> GetExpiryPublicationAsync();

    /// <summary>
    /// The net stock released by an expiry is on <c>inventory.net-stock</c> up to <paramref name="version"/>: the
    /// grain moves its expiry reminder to the next expiry, or drops it.
    /// </summary>
    [Alias("ExpiryPublished")]
    Task ExpiryPublishedAsync(long version);
}
