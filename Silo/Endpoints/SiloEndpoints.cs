using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Runtime;
using InventoryOrleans.Silo.Health;
using Microsoft.AspNetCore.Http.HttpResults;

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
    private static async Task<Results<Ok<StockView>, ProblemHttpResult>> GetStockAsync(
        string productId,
        PartitionOwnership ownership,
        IGrainFactory grains,
        IGrainStorage storage,
        GrainStateSerializer serializer,
        CancellationToken cancellationToken)
    {
        if (productId.Length is 0 or > InventoryEvent.MaxIdLength)
        {
            return TypedResults.Problem(
                title: "Invalid productId",
                detail: $"productId must be 1 to {InventoryEvent.MaxIdLength} characters.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var stock = ownership.Owns(productId)
            ? await grains.GetGrain<IProductGrain>(productId).GetStockAsync()
            : await ReadStoredStockAsync(productId, storage, serializer, cancellationToken);

        // Version 0 means no event was ever applied: the same answer whichever path served it.
        if (stock is null || stock.Version == 0)
        {
            return TypedResults.Problem(
                title: "Unknown product",
                detail: $"No stock has been recorded for product '{productId}'.",
                statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(stock);
    }

    private static async Task<StockView?> ReadStoredStockAsync(
        string productId,
        IGrainStorage storage,
        GrainStateSerializer serializer,
        CancellationToken cancellationToken)
    {
        var record = await storage.ReadAsync(ProductGrain.GrainTypeName, productId, "product", cancellationToken);

        // The stock needs only the state's head; no ledger (and no window index) is built for a read.
        return record.Exists ? serializer.Deserialize<ProductState>(record).ToStockView(productId) : null;
    }
}
