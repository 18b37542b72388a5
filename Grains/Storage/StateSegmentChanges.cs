namespace InventoryOrleans.Grains.Storage;

/// <summary>What a segmented write changes besides the head: segments to add (new, immutable) and segment ids to delete.</summary>
public sealed record StateSegmentChanges(IReadOnlyList<StateSegment> Added, IReadOnlyList<long> Dropped)
{
    /// <summary>No segment changes: the write carries the head only.</summary>
    public static StateSegmentChanges None { get; } = new([], []);

    /// <summary>Whether the write changes no segment.</summary>
    public bool IsEmpty => Added.Count == 0 && Dropped.Count == 0;
}
