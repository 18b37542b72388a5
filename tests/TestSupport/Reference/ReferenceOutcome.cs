using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.TestSupport.Reference;

/// <summary>What <see cref="InventoryReferenceModel"/> decided for one event.</summary>
public readonly record struct ReferenceOutcome(OutcomeStatus Status, string? Reason, long Version);
