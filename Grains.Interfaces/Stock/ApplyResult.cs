namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The outcome of one event and the stock after it.</summary>
public sealed record ApplyResult(EventOutcome Outcome, StockView Stock);
