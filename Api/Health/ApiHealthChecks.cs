using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InventoryOrleans.Api.Health;

/// <summary>The standalone Api host's readiness checks.</summary>
public static class ApiHealthChecks
{
    /// <summary>
    /// Adds <see cref="OrleansClusterHealthCheck"/> (<c>orleans</c>) and <see cref="ApiBrokerHealthCheck"/>
    /// (<c>broker</c>), tagged <see cref="HealthTags.Ready"/>. Not for a silo co-hosting the API: its own checks say
    /// whether its Kafka answers, and its cluster is itself.
    /// </summary>
    public static IHealthChecksBuilder AddApiChecks(this IHealthChecksBuilder checks)
    {
        ArgumentNullException.ThrowIfNull(checks);

        // The broker probe keeps its admin client, so one instance serves every run.
        checks.Services.TryAddSingleton<ApiBrokerHealthCheck>();
        string[] ready = [HealthTags.Ready];
        return checks
            .AddCheck<OrleansClusterHealthCheck>(OrleansClusterHealthCheck.Name, tags: ready)
            .AddCheck<ApiBrokerHealthCheck>(ApiBrokerHealthCheck.Name, tags: ready);
    }
}
