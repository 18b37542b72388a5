using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Grains.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace InventoryOrleans.Silo.Hosting;

/// <summary>The Orleans side of an inventory silo, shared by the executable and the test cluster.</summary>
public static class InventorySiloBuilderExtensions
{
    /// <summary>
    /// Everything a silo of this service runs on <paramref name="redis"/>: Orleans membership (clustering), reminders
    /// (Orleans' Redis providers), the product grains with their segmented storage, failure
    /// detection tuned to declare a dead silo dead within seconds (overridable under <c>Orleans:Membership</c>), and
    /// the dashboard. Cluster identity and endpoints are the caller's (the executable binds them from configuration,
    /// the test cluster sets its own). <paramref name="redisClustering"/> is false only under Orleans' in-process test
    /// cluster, which brings its own membership table.
    /// </summary>
    public static ISiloBuilder AddInventorySilo(this ISiloBuilder silo, IConfiguration configuration, ConfigurationOptions redis, bool redisClustering = true)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(redis);
        if (redisClustering)
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
        }

        silo.UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone());
        silo.AddInventoryGrains(configuration, redis);
        silo.AddDashboard();

        // Grain calls become spans under the caller's activity (an HTTP request, an ingested event), across silos —
        // only while traces are recorded: the propagation's call filters cost even when nothing listens.
        if (InventoryTracingExtensions.TracesGrainCalls(configuration))
        {
            silo.AddActivityPropagation();
        }

        // A Redis failure inside a grain reaches its caller as itself (the ingest logs its message), not as a codec error.
        silo.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("StackExchange.Redis"));

        // Orleans' defaults declare a killed silo dead after 7-11 s and a hung one after about a minute; its products
        // are unreachable meanwhile. One-second probes, two missed, declare them dead in about 1 s and 2-3 s.
        silo.Services.AddOptions<ClusterMembershipOptions>()
            .Configure(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.MaxProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
            })
            .Bind(configuration.GetSection("Orleans:Membership"));
        return silo;
    }
}
