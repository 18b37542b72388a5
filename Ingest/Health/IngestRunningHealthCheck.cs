using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Ingest.Health;

/// <summary>Ready while the pipeline is not paused by an outage (or by publishing that fails); the detail says why it is, and which expiry releases wait.</summary>
public sealed class IngestRunningHealthCheck(IngestHealth health) : IHealthCheck
{
    /// <summary>The check's name in <c>/readyz</c>.</summary>
    public const string Name = "ingest";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(health.PausedBecause is { } paused
            ? HealthCheckResult.Unhealthy($"paused by an outage: {paused}{ExpiriesWaiting(health.ExpiriesWaiting)}")
            : HealthCheckResult.Healthy("consuming"));

    // Releases of expired reservations are published only in the ingest's transactions: while those fail, they wait too.
    private static string ExpiriesWaiting(int products) => products switch
    {
        0 => "",
        1 => "; the expiry release of 1 product waits to be published",
        _ => $"; the expiry releases of {products} products wait to be published",
    };
}
