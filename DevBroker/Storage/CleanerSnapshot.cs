namespace InventoryOrleans.DevBroker.Storage;

/// <summary>What the log cleaner reads, taken under the partition's lock: every segment with its batches (the active one,
/// last, as far as it was written then) and the offset after them. Sealed segments never change, and the bytes of the
/// active one below what was written then do not either, so the cleaner reads them without the lock.</summary>
internal sealed record CleanerSnapshot(IReadOnlyList<SegmentView> Segments, long EndOffset);

/// <summary>One segment as the cleaner saw it.</summary>
internal readonly record struct SegmentView(LogSegment Segment, IReadOnlyList<BatchIndexEntry> Batches, long SizeBytes, long MaxTimestamp)
{
    public long BaseOffset => Segment.BaseOffset;
}
