using InventoryOrleans.Api.Auth;
using InventoryOrleans.Ingest.Rollback;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Dashboard;

namespace InventoryOrleans.Silo.Endpoints;

/// <summary>The silo's own endpoints: the rebuild of a rolled-back product and the Orleans dashboard (the last two behind an API key when <c>Api:Keys</c> is set).</summary>
public static class SiloEndpoints
{
    public static IEndpointRouteBuilder MapSilo(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // The repair of a product found rolled back (docs/operations.md, runbook: State rolled back); needs a key like any write.
        endpoints.MapPost("/api/ops/products/{productId}/rebuild", RebuildAsync)
            .RequireAuthorization(ApiPolicies.Writes)
            .ExcludeFromDescription();
        endpoints.MapOrleansDashboard(routePrefix: "/dashboard")
            .RequireAuthorization(ApiPolicies.Dashboard)
            .ExcludeFromDescription();
        endpoints.MapInventoryTelemetry();
        return endpoints;
    }

    // 200 with the report when the rebuilt state was written; 409 with the report (its problem, the differing
    // decisions) when it was not.
    private static async Task<Results<Ok<RebuildReport>, Conflict<RebuildReport>>> RebuildAsync(string productId, bool? acceptDifferences, ProductRebuilder rebuilder, CancellationToken cancellationToken)
    {
        var report = await rebuilder.RebuildAsync(productId, acceptDifferences ?? false, cancellationToken);
        return report.Rebuilt ? TypedResults.Ok(report) : TypedResults.Conflict(report);
    }
}
