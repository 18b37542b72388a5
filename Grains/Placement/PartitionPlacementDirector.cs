using Orleans.Runtime.Placement;

namespace InventoryOrleans.Grains.Placement;

/// <summary>
/// Puts a new product grain activation on the silo that consumes the product's partition (as the
/// <see cref="IProductOwnerLocator"/> knows it), else on the calling silo, else on a random compatible one. Placement
/// only decides where the one activation lives; Orleans' directory keeps it single and the storage ETag fences the
/// rest, so a stale owner map costs remote calls, never correctness.
/// </summary>
internal sealed class PartitionPlacementDirector(IProductOwnerLocator owners) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hint)
        {
            return Task.FromResult(hint);
        }

        if (owners.OwnerOf(target.GrainIdentity.Key.ToString()!) is { } owner && compatible.Contains(owner))
        {
            return Task.FromResult(owner);
        }

        if (context.LocalSiloStatus == SiloStatus.Active && compatible.Contains(context.LocalSilo))
        {
            return Task.FromResult(context.LocalSilo);
        }

        return Task.FromResult(compatible[Random.Shared.Next(compatible.Length)]);
    }
}
