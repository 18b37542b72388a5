namespace InventoryOrleans.DevBroker.Storage;

/// <summary>Where the cleaner left a partition: a new pass is only worth it once a segment was sealed since (the active
/// segment's base moved), a tombstone or marker may expire or a segment leaves the compaction lag (<see cref="DueAtMs"/>),
/// or — while an open transaction held it back — the log grew (a marker may have closed it).</summary>
internal sealed record CleanerBookmark(long ActiveBaseOffset, long EndOffset, bool HeldByOpenTransaction, long DueAtMs)
{
    public bool IsDue(CleanerSnapshot snapshot, long nowMs) =>
        snapshot.Segments[^1].BaseOffset != ActiveBaseOffset
        || nowMs >= DueAtMs
        || (HeldByOpenTransaction && snapshot.EndOffset != EndOffset);
}
