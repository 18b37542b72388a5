using InventoryOrleans.Api.Health;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Configuration;

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

        // The client needs the Redis settings while it is composed; AddRedisOptions checks them again at start.
        var redis = builder.Configuration.GetValidated(RedisOptions.SectionName, new RedisOptionsValidator()).ToConfigurationOptions();
        builder.Services.AddRedisOptions();
        builder.Services.AddOrleansOptions();
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
            client.UseConnectionRetryFilter<RetryConnectingUntilStopped>();

            // Grain calls join the request's trace (the silos propagate it further), while traces are recorded.
            if (InventoryTracingExtensions.TracesGrainCalls(builder.Configuration))
            {
                client.AddActivityPropagation();
            }
        });
        builder.Services.AddHealthChecks().AddApiChecks();
        return builder;
    }
}
