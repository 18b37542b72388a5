namespace InventoryOrleans.Api.Alerts;

/// <summary>A product that is low, as its last alert on <c>inventory.alerts</c> says.</summary>
public sealed record LowStockEntry(string ProductId, long Available, long Threshold, long Version, string At);
