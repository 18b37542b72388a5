using InventoryOrleans.Api.Health;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// What the standalone Api host adds to <see cref="InventoryApiHostingExtensions.AddInventoryApi"/>: an Orleans client
/// of the silos' cluster (Redis clustering) and its own <c>/healthz</c> and
/// <c>/readyz</c>. The silo co-hosts the API with its own silo, health and readiness instead.
/// </summary>
public static class ApiHostExtensions
{
    /// <summary>The host's <c>service.name</c> in its metrics (the silo's is <c>inventory-silo</c>).</summary>
    public const string ServiceName = "inventory-api";

    /// <summary>
    /// Makes the host an Orleans client of the cluster found through <c>Redis:ConnectionString</c> (required: a
    /// missing or malformed one stops the start with how to set it), identified by <c>Orleans:ClusterId</c> /
    /// <c>Orleans:ServiceId</c>. The client keeps trying to reach a gateway until the host stops, so an Api host may
    /// start before the silos.
    /// </summary>
    public static IHostApplicationBuilder AddApiHost(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = ApiClusterOptions.From(builder.Configuration);
        var redis = ParseRedis(cluster.RedisConnectionString);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
            client.UseConnectionRetryFilter<RetryConnectingUntilStopped>();
        });
        builder.Services.AddSingleton<ApiReadinessProbe>();

        // Per-request logs would drown everything else; appsettings.json is not found when run from another folder.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }

    /// <summary><c>/healthz</c> (liveness) and <c>/readyz</c> (the Orleans cluster answers, the broker is reachable).</summary>
    public static IEndpointRouteBuilder MapApiHostHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" })).WithTags("Health");
        endpoints.MapGet("/readyz", ReadyAsync).WithTags("Health");
        return endpoints;
    }

    private static async Task<JsonHttpResult<ApiReadinessReport>> ReadyAsync(ApiReadinessProbe probe, CancellationToken cancellationToken)
    {
        var report = await probe.CheckAsync(cancellationToken);
        return TypedResults.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static ConfigurationOptions ParseRedis(string? connectionString)
    {
        const string how = "set Redis__ConnectionString to the Redis the silos use for clustering, e.g. 127.0.0.1:6380 for the embedded Garnet of 'dotnet run --project Silo', or redis:6379";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new OptionsValidationException("Redis", typeof(ApiClusterOptions), [$"Redis:ConnectionString is not set: the Api host finds the Orleans cluster through the silos' Redis; {how}."]);
        }

        try
        {
            var redis = ConfigurationOptions.Parse(connectionString);

            // Redis out for a moment shows up as failing gateway refreshes, which Orleans retries, not as a host that cannot start.
            redis.AbortOnConnectFail = false;
            return redis;
        }
        catch (ArgumentException e)
        {
            throw new OptionsValidationException("Redis", typeof(ApiClusterOptions), [$"Redis:ConnectionString '{connectionString}' is not a StackExchange.Redis connection string ({e.Message}): {how}."]);
        }
    }
}
