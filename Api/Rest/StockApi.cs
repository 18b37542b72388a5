using System.Text.Json;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InventoryOrleans.Api.Rest;

/// <summary>
/// Stock reads (open to everyone): one product, a batch by query string or body, and the live change stream. Each
/// product's grain answers, wherever Orleans has it; version 0 means no applied event ever changed the product.
/// </summary>
public static class StockApi
{
    // A query body of 1,000 ids of 128 characters is about 130 KB; leave room for escaping.
    private const int MaxQueryBytes = 1024 * 1024;

    public static RouteGroupBuilder MapStockApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/api/stock").WithTags("Stock");
        group.MapGet("/{productId}", GetStockAsync)
            .WithName("GetStock")
            .WithSummary("A product's net stock")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", GetStocksAsync)
            .WithName("GetStocks")
            .WithSummary("The net stock of up to 1,000 products: ?ids=a,b,c");
        group.MapPost("/query", QueryStocksAsync)
            .WithName("QueryStocks")
            .WithSummary("The net stock of up to 1,000 products named in the body")
            .Accepts<StockQuery>("application/json");
        group.MapGet("/{productId}/changes", WatchChangesAsync)
            .WithName("WatchStockChanges")
            .WithSummary("Server-sent events: the current stock, then every change in version order");
        return group;
    }

    public static async Task<Results<Ok<NetStock>, ProblemHttpResult, ValidationProblem>> GetStockAsync(string productId, IGrainFactory grains)
    {
        if (ProductIds.Check(productId) is { } error)
        {
            return Invalid("productId", error);
        }

        var stock = await grains.GetProductGrain(productId).GetStockAsync();
        if (stock.Version == 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown product",
                detail: $"No applied event ever changed product '{productId}'.");
        }

        return TypedResults.Ok(NetStock.From(stock));
    }

    public static async Task<Results<Ok<StockBatch>, ValidationProblem>> GetStocksAsync([FromQuery] string[]? ids, IGrainFactory grains)
    {
        var (checkedIds, error) = ProductIds.CheckBatch((ids ?? []).SelectMany(value => value.Split(',')));
        return error is not null ? Invalid("ids", error) : TypedResults.Ok(await ReadBatchAsync(checkedIds, grains));
    }

    public static async Task<Results<Ok<StockBatch>, ValidationProblem>> QueryStocksAsync(HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (body, bodyError) = await JsonBody.ReadObjectAsync(request, MaxQueryBytes, cancellationToken);
        if (body is null)
        {
            return Invalid("body", bodyError!);
        }

        StockQuery? query;
        try
        {
            query = body.Deserialize<StockQuery>(JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return Invalid("productIds", "'productIds' must be an array of strings");
        }

        var (ids, error) = ProductIds.CheckBatch(query?.ProductIds ?? []);
        return error is not null ? Invalid("productIds", error) : TypedResults.Ok(await ReadBatchAsync(ids, grains));
    }

    public static async Task<Results<StockChangesResult, ValidationProblem>> WatchChangesAsync(string productId, StockWatcher watcher, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ProductIds.Check(productId) is { } error)
        {
            return Invalid("productId", error);
        }

        // Subscribed before the response starts, so a cluster that cannot be reached is still a proper error status.
        var watch = await watcher.WatchAsync([productId], cancellationToken);
        return new StockChangesResult(watch, time);
    }

    private static async Task<StockBatch> ReadBatchAsync(IReadOnlyList<string> ids, IGrainFactory grains)
    {
        var stocks = await Task.WhenAll(ids.Select(id => grains.GetProductGrain(id).GetStockAsync()));
        return new StockBatch(
            [.. stocks.Where(s => s.Version > 0).Select(NetStock.From)],
            [.. ids.Where((_, i) => stocks[i].Version == 0)]);
    }

    private static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });
}
