using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Silo.Health;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Dashboard;

namespace InventoryOrleans.Silo.Endpoints;

/// <summary>The silo's own endpoints: liveness, readiness, a stock read and the Orleans dashboard.</summary>
public static class SiloEndpoints
{
    public static IEndpointRouteBuilder MapSilo(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
        endpoints.MapGet("/readyz", ReadyAsync);
        endpoints.MapGet("/api/stock/{productId}", GetStockAsync);
        endpoints.MapOrleansDashboard(routePrefix: "/dashboard");
        endpoints.MapInventoryTelemetry();
        return endpoints;
    }

    private static async Task<JsonHttpResult<ReadinessReport>> ReadyAsync(ReadinessProbe probe, CancellationToken cancellationToken)
    {
        var report = await probe.CheckAsync(cancellationToken);
        return TypedResults.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    // The product's grain answers, wherever Orleans has it (the silo consuming its partition, by placement).
    private static async Task<Results<Ok<StockView>, ProblemHttpResult>> GetStockAsync(string productId, IGrainFactory grains)
    {
        if (productId.Length is 0 or > InventoryEvent.MaxIdLength)
        {
            return TypedResults.Problem(
                title: "Invalid productId",
                detail: $"productId must be 1 to {InventoryEvent.MaxIdLength} characters.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var stock = await grains.GetGrain<IProductGrain>(productId).GetStockAsync();

        // Version 0 means no event was ever applied to the product.
        if (stock.Version == 0)
        {
            return TypedResults.Problem(
                title: "Unknown product",
                detail: $"No stock has been recorded for product '{productId}'.",
                statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(stock);
    }
}
