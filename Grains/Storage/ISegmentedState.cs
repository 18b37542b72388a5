namespace InventoryOrleans.Grains.Storage;

/// <summary>
/// A grain state stored as a small head (the state's own JSON, which leaves the sealed segments out) plus immutable
/// segments, so a write costs what changed, not the state's size. <see cref="SegmentedRedisGrainStorage"/> writes the
/// head, the added segments and the deletions in one ETag-checked atomic operation, and on read hands the stored
/// segments back in id order.
/// </summary>
public interface ISegmentedState
{
    /// <summary>The segments sealed and dropped since the last acknowledged write; kept until acknowledged, so a failed write can be retried.</summary>
    StateSegmentChanges GetUnsavedSegmentChanges();

    /// <summary>Storage accepted a write that carried <paramref name="saved"/> (as returned by <see cref="GetUnsavedSegmentChanges"/>).</summary>
    void MarkSegmentChangesSaved(StateSegmentChanges saved);

    /// <summary>Called once after the head was read, with every stored segment in ascending id order (empty when none).</summary>
    void RestoreSegments(IReadOnlyList<StateSegment> segments);
}
