using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Ingest.Rollback;
using InventoryOrleans.Silo.Health;
using InventoryOrleans.TestSupport.Cluster;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Tests.Support;

/// <summary>
/// The silo's <c>/readyz</c> probe on a test cluster's first silo: the executable registers it (AddSilo), the test
/// cluster composes the Orleans and ingest parts only, so tests build it from that silo's services.
/// </summary>
internal static class SiloReadiness
{
    public static ReadinessProbe Probe(InventoryTestCluster cluster, RedisProbe redis)
    {
        var silo = cluster.Silos[0];
        return new ReadinessProbe(
            InventoryTestCluster.Health(silo),
            InventoryTestCluster.Ownership(silo),
            redis,
            InventoryTestCluster.Service<RollbackDetector>(silo),
            InventoryTestCluster.Service<IOptions<KafkaOptions>>(silo),
            TimeProvider.System);
    }
}
