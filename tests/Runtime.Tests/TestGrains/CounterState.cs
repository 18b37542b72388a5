namespace InventoryOrleans.Runtime.Tests.TestGrains;

/// <summary>State of <see cref="CounterGrain"/>.</summary>
public sealed class CounterState
{
    public int Value { get; set; }
}
