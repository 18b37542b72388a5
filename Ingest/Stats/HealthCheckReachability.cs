using InventoryOrleans.Grains.Interfaces.Stats;
using InventoryOrleans.Ingest.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Ingest.Stats;

/// <summary>Kafka and Redis reachability for the cluster's ingest stats, from the same checks <c>/readyz</c> shows (their real probes, and their cache).</summary>
public sealed class HealthCheckReachability(HealthCheckService health) : IReachabilityProbe
{
    public async Task<(Reachability Kafka, Reachability Redis)> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Name is KafkaBrokerHealthCheck.Name or RedisHealthCheck.Name, cancellationToken);
        return (From(report, KafkaBrokerHealthCheck.Name), From(report, RedisHealthCheck.Name));
    }

    private static Reachability From(HealthReport report, string check) =>
        report.Entries.TryGetValue(check, out var entry)
            ? new Reachability(entry.Status == HealthStatus.Healthy, entry.Description ?? entry.Exception?.Message ?? "")
            : new Reachability(false, $"no {check} check");
}
