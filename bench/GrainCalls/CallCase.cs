namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>One way of making a call to the object or grain of key index <c>i</c>; a group compares its cases with its baseline.</summary>
internal sealed record CallCase(string Name, string Group, bool IsBaseline, Func<int, Task<long>> Call);
