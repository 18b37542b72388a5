namespace InventoryOrleans.Api.Health;

/// <summary>The Api host's <c>/readyz</c> body: ready only when every check is.</summary>
public sealed record ApiReadinessReport(bool Ready, IReadOnlyDictionary<string, ApiReadinessCheck> Checks);
