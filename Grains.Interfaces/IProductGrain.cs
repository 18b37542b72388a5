using InventoryOrleans.Runtime;

namespace InventoryOrleans.Grains.Interfaces;

/// <summary>One product's stock; keyed by productId. Applies the event rules of CONTRACTS.md exactly once in effect.</summary>
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>Applies one event and persists the state if anything changed.</summary>
    Task<ApplyResult> ApplyAsync(InventoryEvent inventoryEvent, EventPosition? position = null);

    /// <summary>
    /// Applies a product's events of one consumed batch in order and persists once at the end (coalescing):
    /// the ingest pipeline's call. A storage failure throws and leaves the activation to reload from storage.
    /// </summary>
    Task<BatchApplyResult> ApplyBatchAsync(IReadOnlyList<PositionedEvent> events);

    /// <summary>Releases every reservation whose expiry has passed (by the runtime's clock) and persists.</summary>
    Task<ExpiryResult> ReleaseExpiredReservationsAsync();

    /// <summary>The current stock.</summary>
    Task<StockView> GetStockAsync();
}
