using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace InventoryOrleans.Ingest.Health;

/// <summary>Registers the ingest's readiness checks, in the order <c>/readyz</c> lists them.</summary>
public static class IngestHealthChecks
{
    /// <summary>The tag of the checks <c>/readyz</c> and <c>grpc.health.v1</c> answer from (the hosts' convention, as in the Api).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds the checks a silo is ready by: its Kafka and its Redis answer (probed for real), partitions assigned, the
    /// pipeline not paused, no product of its partitions rolled back. All tagged <see cref="ReadyTag"/>, none
    /// liveness: an outage of Kafka or Redis is not a reason to restart the process.
    /// </summary>
    public static IHealthChecksBuilder AddIngestChecks(this IHealthChecksBuilder checks, ConfigurationOptions redis)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(redis);

        // The probes keep a connection each, so one instance serves every run.
        checks.Services.TryAddSingleton<KafkaBrokerHealthCheck>();
        checks.Services.TryAddSingleton(_ => new RedisHealthCheck(redis));
        string[] ready = [ReadyTag];
        return checks
            .AddCheck<KafkaBrokerHealthCheck>(KafkaBrokerHealthCheck.Name, tags: ready)
            .AddCheck<RedisHealthCheck>(RedisHealthCheck.Name, tags: ready)
            .AddCheck<PartitionsHealthCheck>(PartitionsHealthCheck.Name, tags: ready)
            .AddCheck<IngestRunningHealthCheck>(IngestRunningHealthCheck.Name, tags: ready)
            .AddCheck<RolledBackStateHealthCheck>(RolledBackStateHealthCheck.Name, tags: ready);
    }
}
