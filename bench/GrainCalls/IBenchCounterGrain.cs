namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>The benchmark's grain: the same work as <see cref="GuardedCounter"/>.</summary>
[Alias("bench.IBenchCounterGrain")]
public interface IBenchCounterGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task<long> AddAsync(long amount);
}
