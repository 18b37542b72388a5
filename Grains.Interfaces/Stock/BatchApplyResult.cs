namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The outcomes of a product's events in one batch, in order, and the stock after the last.</summary>
/// <param name="Changed">
/// Whether a net-stock record is due: the product's version is not known published yet (the batch changed it, or an
/// earlier attempt that carried it did not commit).
/// </param>
/// <param name="Alerts">
/// Low-stock alerts to publish, in version order: every alert not known published yet (those the batch raised, and
/// those of an earlier attempt that did not commit).
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.BatchApplyResult")]
public sealed record BatchApplyResult(
    [property: Id(0)] IReadOnlyList<EventOutcome> Outcomes,
    [property: Id(1)] StockView Stock,
    [property: Id(2)] bool Changed,
    [property: Id(3)] IReadOnlyList<LowStockAlert>? Alerts = null);
