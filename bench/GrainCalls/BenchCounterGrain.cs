using InventoryOrleans.Runtime;

namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>Adds to a running total; no state storage, so the benchmark measures the runtime's call path.</summary>
public sealed class BenchCounterGrain : Grain, IBenchCounterGrain
{
    private readonly CounterWork _work = new();

    public Task<long> AddAsync(long amount) => Task.FromResult(_work.Add(amount));
}
