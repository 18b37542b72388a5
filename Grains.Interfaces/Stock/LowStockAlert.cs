namespace InventoryOrleans.Grains.Interfaces;

/// <summary>
/// A product crossed its low-stock threshold (docs/CONTRACTS.md "Low stock"): the record on <c>inventory.alerts</c>.
/// </summary>
/// <param name="Available">Available stock right after the change that crossed.</param>
/// <param name="Threshold">The threshold in force at that change.</param>
/// <param name="Version">The product's version after the change that crossed.</param>
/// <param name="At">When that change happened (the product's <c>updatedAt</c> then).</param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.LowStockAlert")]
public sealed record LowStockAlert(
    [property: Id(0)] string ProductId,
    [property: Id(1)] long Available,
    [property: Id(2)] long Threshold,
    [property: Id(3)] LowStockState State,
    [property: Id(4)] long Version,
    [property: Id(5)] DateTimeOffset At);
