using InventoryOrleans.Api.Auth;
using InventoryOrleans.Silo.Health;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Dashboard;

namespace InventoryOrleans.Silo.Endpoints;

/// <summary>The silo's own endpoints: liveness, readiness and the Orleans dashboard (behind an API key when <c>Api:Keys</c> is set).</summary>
public static class SiloEndpoints
{
    public static IEndpointRouteBuilder MapSilo(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
        endpoints.MapGet("/readyz", ReadyAsync);
        endpoints.MapOrleansDashboard(routePrefix: "/dashboard")
            .RequireAuthorization(ApiPolicies.Dashboard)
            .ExcludeFromDescription();
        endpoints.MapInventoryTelemetry();
        return endpoints;
    }

    private static async Task<JsonHttpResult<ReadinessReport>> ReadyAsync(ReadinessProbe probe, CancellationToken cancellationToken)
    {
        var report = await probe.CheckAsync(cancellationToken);
        return TypedResults.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
