using InventoryOrleans.Grains.Interfaces.Placement;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Ingest.Pipeline;

namespace InventoryOrleans.Ingest.Placement;

/// <summary>
/// This silo's view of who consumes which partition: its own assignment (always current) and the others' as last
/// synchronized through the <see cref="IPartitionMapGrain"/>. Answers the placement director without a call.
/// </summary>
public sealed class ClusterPartitionMap(PartitionOwnership ownership, ILocalSiloDetails localSilo) : IProductOwnerLocator
{
    private PartitionMap _cluster = PartitionMap.Empty;

    public PartitionMap Cluster => Volatile.Read(ref _cluster);

    public SiloAddress? OwnerOf(string productId)
    {
        if (ownership.PartitionCount == 0)
        {
            return null;
        }

        var partition = ownership.PartitionOf(productId);
        if (ownership.Owned.Contains(partition))
        {
            return localSilo.SiloAddress;
        }

        // What this silo owned until just now is not its own any more, whatever the last synchronized map said.
        return Cluster.Owners.TryGetValue(partition, out var owner) && !owner.Equals(localSilo.SiloAddress) ? owner : null;
    }

    internal void Update(PartitionMap map) => Volatile.Write(ref _cluster, map);
}
