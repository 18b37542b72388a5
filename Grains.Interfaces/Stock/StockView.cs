namespace InventoryOrleans.Grains.Interfaces;

/// <summary>A product's stock: the record published on <c>inventory.net-stock</c> and served by the API.</summary>
/// <param name="Available"><c>OnHand - Reserved</c>.</param>
/// <param name="Version">Grows by one with every applied event and every reservation released by expiry.</param>
/// <param name="LastEventId">The last applied event (an expiry leaves it alone).</param>
/// <param name="Locations">On-hand per location; <see cref="OnHand"/> is their sum. Never changed after construction.</param>
/// <param name="LowStock">Available is at or below <see cref="LowStockThreshold"/> (as of the last change; a product starts not low).</param>
/// <param name="LowStockThreshold">The product's own threshold, else the default (<c>Inventory:LowStockThreshold</c>).</param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.StockView")]
public sealed record StockView(
    [property: Id(0)] string ProductId,
    [property: Id(1)] long OnHand,
    [property: Id(2)] long Reserved,
    [property: Id(3)] long InTransit,
    [property: Id(4)] long Available,
    [property: Id(5)] long Version,
    [property: Id(6)] string? LastEventId,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] IReadOnlyDictionary<string, long> Locations,
    [property: Id(9)] bool LowStock = false,
    [property: Id(10)] long LowStockThreshold = 0);
