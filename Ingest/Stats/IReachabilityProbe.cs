using InventoryOrleans.Grains.Interfaces.Stats;

namespace InventoryOrleans.Ingest.Stats;

/// <summary>Tells whether this silo reaches Kafka and Redis, for the stats it reports (<see cref="HealthCheckReachability"/>: the readiness checks' real probes).</summary>
public interface IReachabilityProbe
{
    Task<(Reachability Kafka, Reachability Redis)> CheckAsync(CancellationToken cancellationToken);
}
