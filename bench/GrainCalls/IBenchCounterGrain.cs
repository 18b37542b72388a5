using InventoryOrleans.Runtime;

namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>The benchmark's grain: the same work as <see cref="GuardedCounter"/>.</summary>
public interface IBenchCounterGrain : IGrainWithStringKey
{
    Task<long> AddAsync(long amount);
}
