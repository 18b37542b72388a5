namespace InventoryOrleans.Silo.Health;

/// <summary>The <c>/readyz</c> body: ready only when every check is.</summary>
public sealed record ReadinessReport(bool Ready, IReadOnlyDictionary<string, ReadinessCheck> Checks);
