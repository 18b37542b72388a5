namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The outcomes of a product's events in one batch, in order, and the stock after the last.</summary>
/// <param name="Changed">Whether the stock (version) changed, i.e. whether a net-stock record is due.</param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.BatchApplyResult")]
public sealed record BatchApplyResult(
    [property: Id(0)] IReadOnlyList<EventOutcome> Outcomes,
    [property: Id(1)] StockView Stock,
    [property: Id(2)] bool Changed);
