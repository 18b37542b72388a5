namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The outcomes of a product's events in one batch, in order, and the stock after the last.</summary>
/// <param name="Changed">Whether the stock (version) changed, i.e. whether a net-stock record is due.</param>
public sealed record BatchApplyResult(IReadOnlyList<EventOutcome> Outcomes, StockView Stock, bool Changed);
