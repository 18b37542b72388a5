using InventoryOrleans.Grains.Interfaces.Stats;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InventoryOrleans.Api.Rest;

/// <summary>
/// The cluster's ingest as the inventory page shows it (open to everyone, like every read): the numbers every silo
/// reports each second to the one <see cref="IClusterStatsGrain"/>, which are also the ones <c>/metrics</c> exports.
/// </summary>
public static class OpsApi
{
    public static RouteHandlerBuilder MapOpsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet("/api/ops/stats", GetStatsAsync)
            .WithTags("Operations")
            .WithName("GetClusterStats")
            .WithSummary("The cluster's ingest: totals, silos with their partitions and reachability, lag per partition, the last minutes second by second")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<Ok<ClusterStats>> GetStatsAsync(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return TypedResults.Ok(await grains.GetClusterStatsGrain().GetAsync());
    }
}
