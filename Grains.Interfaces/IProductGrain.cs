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
    /// The net stock released by an expiry is on <c>inventory.net-stock</c> up to <paramref name="version"/>: the
    /// grain moves its expiry reminder to the next expiry, or drops it.
    /// </summary>
    [Alias("ExpiryPublished")]
    Task ExpiryPublishedAsync(long version);
}
