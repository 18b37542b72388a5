using InventoryOrleans.Grains.Interfaces.Stats;

namespace InventoryOrleans.Ingest.Stats;

/// <summary>Tells whether this silo reaches Kafka and Redis, for the stats it reports. The silo host probes for real (its readiness probe); the default reads <see cref="IngestHealthReachability"/>.</summary>
public interface IReachabilityProbe
{
    Task<(Reachability Kafka, Reachability Redis)> CheckAsync(CancellationToken cancellationToken);
}
