using InventoryOrleans.Api.Health;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// What the standalone Api host adds to <see cref="InventoryApiHostingExtensions.AddInventoryApi"/>: an Orleans client
/// of the silos' cluster (Redis clustering) and the readiness checks of such a host
/// (<see cref="ApiHealthChecks.AddApiChecks"/>). The silo co-hosts the API with its own silo and readiness checks instead.
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

            // Grain calls join the request's trace (the silos propagate it further).
            client.AddActivityPropagation();
        });
        builder.Services.AddHealthChecks().AddApiChecks();

        // Per-request logs would drown everything else; appsettings.json is not found when run from another folder.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
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
