using InventoryOrleans.Grains.Interfaces.Placement;

namespace InventoryOrleans.Grains.Placement;

/// <summary>The cluster's partition map (see <see cref="IPartitionMapGrain"/>). The latest report about a partition wins.</summary>
internal sealed class PartitionMapGrain : Grain, IPartitionMapGrain
{
    private PartitionMap _map = PartitionMap.Empty;

    public Task<PartitionMap> ReportAsync(SiloAddress silo, int[] partitions)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(partitions);
        var owners = _map.Owners.ToBuilder();
        foreach (var (partition, owner) in _map.Owners)
        {
            if (owner.Equals(silo))
            {
                owners.Remove(partition);
            }
        }

        foreach (var partition in partitions)
        {
            owners[partition] = silo;
        }

        _map = new PartitionMap(owners.ToImmutable());
        return Task.FromResult(_map);
    }
}
