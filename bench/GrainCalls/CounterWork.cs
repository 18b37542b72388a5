namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>The work both sides of the benchmark do per call: update a total and a small history (like applying an event).</summary>
internal sealed class CounterWork
{
    private readonly long[] _recent = new long[8];
    private long _total;
    private int _next;

    public long Add(long amount)
    {
        _total += amount;
        _recent[_next] = amount;
        _next = (_next + 1) & 7;
        return _total;
    }
}
