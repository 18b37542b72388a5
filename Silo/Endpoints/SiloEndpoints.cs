using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Runtime;
using InventoryOrleans.Silo.Health;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Endpoints;

/// <summary>The silo's own endpoints: liveness, readiness and a minimal stock read (the API proper comes later).</summary>
public static class SiloEndpoints
{
    public static IEndpointRouteBuilder MapSilo(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
        endpoints.MapGet("/readyz", ReadyAsync);
        endpoints.MapGet("/api/stock/{productId}", GetStockAsync);
        return endpoints;
    }

    private static async Task<JsonHttpResult<ReadinessReport>> ReadyAsync(ReadinessProbe probe, CancellationToken cancellationToken)
    {
        var report = await probe.CheckAsync(cancellationToken);
        return TypedResults.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    // From the local activation when this silo owns the product (it is the writer, so it is current); otherwise from
    // storage, without activating a grain that another silo writes.
    private static async Task<Results<Ok<StockView>, NotFound, BadRequest<string>>> GetStockAsync(
        string productId,
        PartitionOwnership ownership,
        IGrainFactory grains,
        IGrainStorage storage,
        GrainStateSerializer serializer,
        IOptions<ProductGrainOptions> options,
        CancellationToken cancellationToken)
    {
        if (productId.Length is 0 or > InventoryEvent.MaxIdLength)
        {
            return TypedResults.BadRequest($"productId must be 1 to {InventoryEvent.MaxIdLength} characters.");
        }

        if (ownership.Owns(productId))
        {
            return TypedResults.Ok(await grains.GetGrain<IProductGrain>(productId).GetStockAsync());
        }

        var record = await storage.ReadAsync(ProductGrain.GrainTypeName, productId, "product", cancellationToken);
        if (!record.Exists)
        {
            return TypedResults.NotFound();
        }

        var state = serializer.Deserialize<ProductState>(record.Data!);
        return TypedResults.Ok(new ProductLedger(productId, state, options.Value.DedupWindowSize).ToStockView());
    }
}
