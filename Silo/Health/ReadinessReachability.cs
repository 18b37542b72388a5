using InventoryOrleans.Grains.Interfaces.Stats;
using InventoryOrleans.Ingest.Stats;

namespace InventoryOrleans.Silo.Health;

/// <summary>Kafka and Redis reachability for the cluster's ingest stats, from the same real probes as <c>/readyz</c> (and their cache).</summary>
public sealed class ReadinessReachability(ReadinessProbe probe) : IReachabilityProbe
{
    public async Task<(Reachability Kafka, Reachability Redis)> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await probe.CheckAsync(cancellationToken);
        return (From(report, "broker"), From(report, "redis"));
    }

    private static Reachability From(ReadinessReport report, string check) =>
        report.Checks.TryGetValue(check, out var found) ? new Reachability(found.Ok, found.Detail) : new Reachability(false, $"no {check} check");
}
