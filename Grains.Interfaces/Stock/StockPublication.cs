namespace InventoryOrleans.Grains.Interfaces;

/// <summary>
/// What a product must still put on the output topics outside a batch (after an expiry release, or after a transaction
/// that did not commit): its current stock and the low-stock alerts not yet known published, in version order.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("inventory.StockPublication")]
public sealed record StockPublication(
    [property: Id(0)] StockView Stock,
    [property: Id(1)] IReadOnlyList<LowStockAlert> Alerts);
