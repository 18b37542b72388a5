namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>The baseline: a plain object whose calls are serialized by a <see cref="SemaphoreSlim"/>.</summary>
internal sealed class GuardedCounter
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CounterWork _work = new();

    public async Task<long> AddAsync(long amount)
    {
        await _gate.WaitAsync();
        try
        {
            return _work.Add(amount);
        }
        finally
        {
            _gate.Release();
        }
    }
}
