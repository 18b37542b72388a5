namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>Adds to a running total; no storage, so the benchmark measures Orleans' call path.</summary>
public sealed class BenchCounterGrain : Grain, IBenchCounterGrain
{
    private readonly CounterWork _work = new();

    public Task<long> AddAsync(long amount) => Task.FromResult(_work.Add(amount));
}
