namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The outcomes of a product's events in one batch, in order, and the stock after the last.</summary>
/// <param name="Changed">
/// Whether a net-stock record is due: the stock (version) changed, or the batch held a redelivered message, whose first
/// delivery's net stock a crash between persisting and publishing may have lost.
/// </param>
/// <param name="Alerts">
/// Low-stock alerts to publish, in version order: those the batch raised, and for a batch holding redelivered messages
/// the ones their first delivery raised (a crash may have lost them; a repeat is identical).
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.BatchApplyResult")]
public sealed record BatchApplyResult(
    [property: Id(0)] IReadOnlyList<EventOutcome> Outcomes,
    [property: Id(1)] StockView Stock,
    [property: Id(2)] bool Changed,
    [property: Id(3)] IReadOnlyList<LowStockAlert>? Alerts = null);
