using Confluent.Kafka;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Health;

/// <summary>Ready while the Kafka the Api host produces to answers a metadata request for real (a broker in the answer).</summary>
public sealed class ApiBrokerHealthCheck : IHealthCheck, IDisposable
{
    /// <summary>The check's name in <c>/readyz</c>.</summary>
    public const string Name = "broker";

    // One admin client for the host's life: a new one per probe would reconnect every time.
    private readonly Lazy<IAdminClient> _admin;

    public ApiBrokerHealthCheck(IOptions<KafkaOptions> kafka)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        _admin = new(() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Value.BootstrapServers, ClientId = "inventory-api-readyz" })
            .SetLogHandler((_, _) => { })
            .Build());
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // No topic named: the Api host may start before the silos create theirs, and naming one could have a
            // broker that auto-creates topics create it with the wrong settings.
            var metadata = _admin.Value.GetMetadata(TimeSpan.FromSeconds(1));
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
