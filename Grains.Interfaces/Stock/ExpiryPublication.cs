namespace InventoryOrleans.Grains.Interfaces;

/// <summary>What a product's expiry release must put on the topics: its current stock and the low-stock alerts the releases raised.</summary>
[GenerateSerializer]
[Immutable]
[Alias("inventory.ExpiryPublication")]
public sealed record ExpiryPublication(
    [property: Id(0)] StockView Stock,
    [property: Id(1)] IReadOnlyList<LowStockAlert> Alerts);
