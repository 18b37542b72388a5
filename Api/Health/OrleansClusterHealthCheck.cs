using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Api.Health;

/// <summary>
/// Ready while the Orleans cluster answers a call through this host's client (the management grain lists at least one
/// active silo): every inventory call goes to the product grains, so without one the Api host cannot serve.
/// </summary>
public sealed class OrleansClusterHealthCheck(IGrainFactory grains, TimeProvider time) : IHealthCheck
{
    /// <summary>The check's name in <c>/readyz</c>.</summary>
    public const string Name = "orleans";

    // A health probe must answer within its own deadline, whatever the cluster does.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Timeout, time, cancellationToken);
            return silos.Count > 0
                ? HealthCheckResult.Healthy($"connected; {silos.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("connected, but no silo is active");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the Orleans cluster does not answer: {e.GetType().Name}: {e.Message}");
        }
    }
}
