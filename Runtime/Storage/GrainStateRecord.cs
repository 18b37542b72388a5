namespace InventoryOrleans.Runtime;

/// <summary>What storage holds for one grain state: the serialized state (null when absent or cleared) and its ETag (null when never written).</summary>
public sealed record GrainStateRecord(byte[]? Data, string? Etag)
{
    /// <summary>Nothing was ever stored.</summary>
    public static GrainStateRecord None { get; } = new(null, null);

    /// <summary>Whether the record holds state (false when absent or cleared).</summary>
    public bool Exists => Data is not null;

    /// <summary>The segments of a segmented state (<see cref="ISegmentedState"/>) in ascending id order; empty for a plain state.</summary>
    public IReadOnlyList<StateSegment> Segments { get; init; } = [];
}
