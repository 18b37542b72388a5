namespace InventoryOrleans.Api.Health;

/// <summary>One readiness check of the Api host and what it found.</summary>
public sealed record ApiReadinessCheck(bool Ok, string Detail);
