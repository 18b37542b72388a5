namespace InventoryOrleans.Silo.Health;

/// <summary>One readiness check and what it found.</summary>
public sealed record ReadinessCheck(bool Ok, string Detail);
