using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Api.Grpc;

/// <summary>
/// Healthy while the Orleans cluster answers with at least one active silo: every inventory call goes to the product
/// grains, so without one the service cannot serve. What <c>grpc.health.v1</c> reports, with any other check the host has.
/// </summary>
public sealed class OrleansClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    /// <summary>The check's registration name.</summary>
    public const string Name = "orleans-cluster";

    // A health probe must answer within its own deadline, whatever the cluster does.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Timeout, cancellationToken);
            return silos.Count > 0
                ? HealthCheckResult.Healthy($"{silos.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("the Orleans cluster has no active silo");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the Orleans cluster does not answer", e);
        }
    }
}
