using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Health;

/// <summary>Ready while the silo's Kafka answers a metadata request for real (a broker in the answer).</summary>
public sealed class KafkaBrokerHealthCheck : IHealthCheck, IDisposable
{
    /// <summary>The check's name in <c>/readyz</c>.</summary>
    public const string Name = "broker";

    // One admin client for the silo's life: a new one per probe would reconnect every time.
    private readonly Lazy<IAdminClient> _admin;

    public KafkaBrokerHealthCheck(IOptions<KafkaOptions> kafka)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        _admin = new(() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Value.BootstrapServers, ClientId = "inventory-silo-readyz" })
            .SetLogHandler((_, _) => { })
            .Build());
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // One topic every silo publishes to, not all of them: the answer stays small however many topics the cluster has.
            var metadata = _admin.Value.GetMetadata(Topics.NetStock, TimeSpan.FromSeconds(1));
            return Task.FromResult(metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s) reachable")
                : HealthCheckResult.Unhealthy("no broker in metadata"));
        }
        catch (KafkaException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"broker unreachable: {e.Error.Reason}"));
        }
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }
    }
}
