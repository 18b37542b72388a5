using InventoryOrleans.Grains.Interfaces.Stats;
using InventoryOrleans.Ingest.Health;

namespace InventoryOrleans.Ingest.Stats;

/// <summary>Reachability as the pipeline last saw it: a broker or storage problem that paused it, or none.</summary>
public sealed class IngestHealthReachability(IngestHealth health) : IReachabilityProbe
{
    public Task<(Reachability Kafka, Reachability Redis)> CheckAsync(CancellationToken cancellationToken)
    {
        var kafka = health.BrokerProblem is { } broker ? new Reachability(false, broker) : new Reachability(true, "no broker problem seen by the ingest");
        var redis = health.StorageProblem is { } storage ? new Reachability(false, storage) : new Reachability(true, "no storage problem seen by the ingest");
        return Task.FromResult((kafka, redis));
    }
}
