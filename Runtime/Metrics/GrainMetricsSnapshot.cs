namespace InventoryOrleans.Runtime;

/// <summary>An immutable copy of a runtime's metrics: per grain type and method, and activations per type.</summary>
public sealed record GrainMetricsSnapshot(DateTimeOffset TakenAt, IReadOnlyList<GrainMethodSnapshot> Methods, IReadOnlyList<GrainActivationCount> Activations)
{
    /// <summary>The method's counters, or null when it was never registered.</summary>
    public GrainMethodSnapshot? Find(string grainType, string method) =>
        Methods.FirstOrDefault(m => m.GrainType == grainType && m.Method == method);

    /// <summary>Live activations of <paramref name="grainType"/> (zero when unknown).</summary>
    public int ActivationsOf(string grainType) =>
        Activations.FirstOrDefault(a => a.GrainType == grainType)?.Activations ?? 0;
}
