namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>The wire names of <see cref="CompatibilityLevel"/> ("BACKWARD_TRANSITIVE") and what each level checks.</summary>
public static class CompatibilityLevels
{
    /// <summary>What a registry without any configuration applies (Confluent's default).</summary>
    public const CompatibilityLevel Default = CompatibilityLevel.Backward;

    private static readonly Dictionary<string, CompatibilityLevel> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["NONE"] = CompatibilityLevel.None,
        ["BACKWARD"] = CompatibilityLevel.Backward,
        ["FORWARD"] = CompatibilityLevel.Forward,
        ["FULL"] = CompatibilityLevel.Full,
        ["BACKWARD_TRANSITIVE"] = CompatibilityLevel.BackwardTransitive,
        ["FORWARD_TRANSITIVE"] = CompatibilityLevel.ForwardTransitive,
        ["FULL_TRANSITIVE"] = CompatibilityLevel.FullTransitive,
    };

    /// <summary>Parses a wire name, in any case as Confluent accepts it.</summary>
    public static bool TryParse(string? name, out CompatibilityLevel level) =>
        ByName.TryGetValue(name?.Trim() ?? string.Empty, out level);

    public static string ToWire(this CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.None => "NONE",
        CompatibilityLevel.Backward => "BACKWARD",
        CompatibilityLevel.Forward => "FORWARD",
        CompatibilityLevel.Full => "FULL",
        CompatibilityLevel.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityLevel.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityLevel.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>The new schema must read data written with the earlier ones.</summary>
    public static bool ChecksBackward(this CompatibilityLevel level) =>
        level is CompatibilityLevel.Backward or CompatibilityLevel.Full or CompatibilityLevel.BackwardTransitive or CompatibilityLevel.FullTransitive;

    /// <summary>The earlier schemas must read data written with the new one.</summary>
    public static bool ChecksForward(this CompatibilityLevel level) =>
        level is CompatibilityLevel.Forward or CompatibilityLevel.Full or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.FullTransitive;

    /// <summary>Against every earlier version, not only the latest.</summary>
    public static bool IsTransitive(this CompatibilityLevel level) =>
        level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.FullTransitive;
}
