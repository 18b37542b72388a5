using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.TestSupport.Reference;

/// <summary>A low-stock alert as <see cref="InventoryReferenceModel"/> expects it (the grain's alert has the time too).</summary>
public readonly record struct ReferenceAlert(LowStockState State, long Available, long Threshold, long Version);
