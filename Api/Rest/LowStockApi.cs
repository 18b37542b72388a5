using InventoryOrleans.Api.Alerts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InventoryOrleans.Api.Rest;

/// <summary>The products that are low right now (open to everyone, like every read).</summary>
public static class LowStockApi
{
    public static RouteHandlerBuilder MapLowStockApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet("/api/low-stock", GetLowStock)
            .WithTags("Stock")
            .WithName("GetLowStock")
            .WithSummary("Products whose last low-stock alert is Low, by productId (from inventory.alerts)");
    }

    public static Ok<LowStockList> GetLowStock(LowStockBoard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        return TypedResults.Ok(new LowStockList(board.Low));
    }
}
