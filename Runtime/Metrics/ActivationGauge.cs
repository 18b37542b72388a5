namespace InventoryOrleans.Runtime;

/// <summary>The live activation count of one grain type (changes on activation and deactivation only, so one shared counter is cheap).</summary>
internal sealed class ActivationGauge(string grainType)
{
    private int _count;

    public string GrainType { get; } = grainType;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);

    public void Decrement() => Interlocked.Decrement(ref _count);
}
