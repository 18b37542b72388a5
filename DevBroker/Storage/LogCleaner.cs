using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>Compacts a partition's log, as Kafka's log cleaner does: per key, only the record with the highest offset
/// stays (see <see cref="BatchRetention"/> for tombstones, transactions and producers). Offsets never change: kept
/// records keep theirs, and Fetch from an offset that was cleaned away serves the next batch.
/// <para>The key map covers the whole log up to its last stable offset (the active segment's head included); only sealed
/// segments whose offsets are all below it and whose newest record is older than min.compaction.lag.ms are rewritten,
/// oldest first. Consecutive ones are merged while their sizes add up to segment.bytes at most. Each group is written
/// outside the partition's lock to a new file (fsynced), then swapped in under the lock.</para></summary>
internal sealed partial class LogCleaner(ILogger logger)
{
    /// <summary>One pass over one partition; nothing happens when nothing can have changed since the last pass.</summary>
    public CleaningResult Clean(string topic, int partition, PartitionLog log, CleaningPolicy policy, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(log);
        var snapshot = log.TakeCleanerSnapshot();
        if (snapshot is null || (log.CleanerBookmark is { } bookmark && !bookmark.IsDue(snapshot, nowMs)))
        {
            return CleaningResult.None;
        }

        if (snapshot.Segments.Count == 1)
        {
            // Only the active segment: nothing can be rewritten until it is sealed.
            log.CleanerBookmark = new CleanerBookmark(snapshot.Segments[0].BaseOffset, snapshot.EndOffset, false, long.MaxValue);
            return CleaningResult.None;
        }

        var transactions = LogTransactions.Scan(snapshot);
        var keys = KeyOffsetMap.Build(snapshot, transactions);
        var (cleanable, lagEndsMs) = Cleanable(snapshot, transactions.StableOffset, policy, nowMs);
        var roundEnd = snapshot.Segments[cleanable.Count].BaseOffset; // the active segment is never cleanable
        var retention = new BatchRetention(keys, transactions, roundEnd, nowMs, policy.DeleteRetentionMs);
        var result = CleaningResult.None;
        foreach (var group in Group(cleanable, log.SegmentBytes))
        {
            if (group.Count == 1 && !Changes(group[0], retention))
            {
                continue;
            }

            var cleaned = Rewrite(log, group, retention);
            if (cleaned.SegmentsRewritten > 0)
            {
                result += cleaned;
                Log.SegmentsCleaned(logger, topic, partition, group[0].BaseOffset, group.Count, cleaned.RecordsBefore, cleaned.RecordsAfter, cleaned.BytesBefore, cleaned.BytesAfter);
            }
        }

        if (keys.UnreadableBatches > 0)
        {
            Log.UnreadableBatches(logger, topic, partition, keys.UnreadableBatches);
        }

        // A pass that changed something is followed by one that sees the result: a marker whose transaction it emptied,
        // cleaned segments small enough to merge. An open transaction only holds the cleaner back when it begins before
        // the active segment (sealed segments then wait for its end).
        var activeBase = snapshot.Segments[^1].BaseOffset;
        var dueAtMs = result.SegmentsRewritten > 0 ? nowMs : Math.Min(retention.NextHorizonMs, lagEndsMs);
        log.CleanerBookmark = new CleanerBookmark(activeBase, snapshot.EndOffset, transactions.StableOffset < activeBase, dueAtMs);
        return result;
    }

    /// <summary>The sealed segments that may be cleaned, oldest first, stopping at the first that may not: one reaching
    /// the stable offset, or one with a record younger than the compaction lag (then also when that lag ends).</summary>
    private static (List<SegmentView> Segments, long LagEndsMs) Cleanable(CleanerSnapshot snapshot, long stableOffset, CleaningPolicy policy, long nowMs)
    {
        var cleanable = new List<SegmentView>();
        for (var i = 0; i < snapshot.Segments.Count - 1; i++)
        {
            var segment = snapshot.Segments[i];
            if (segment.BaseOffset >= stableOffset || (segment.Batches.Count > 0 && segment.Batches[^1].LastOffset >= stableOffset))
            {
                break;
            }

            if (policy.MinCompactionLagMs > 0 && segment.MaxTimestamp > nowMs - policy.MinCompactionLagMs)
            {
                return (cleanable, segment.MaxTimestamp + policy.MinCompactionLagMs);
            }

            cleanable.Add(segment);
        }

        return (cleanable, long.MaxValue);
    }

    /// <summary>Consecutive segments whose sizes add up to <paramref name="segmentBytes"/> at most (each alone when larger).</summary>
    private static List<List<SegmentView>> Group(List<SegmentView> segments, int segmentBytes)
    {
        var groups = new List<List<SegmentView>>();
        long size = 0;
        foreach (var segment in segments)
        {
            if (groups.Count == 0 || size + segment.SizeBytes > segmentBytes)
            {
                groups.Add([]);
                size = 0;
            }

            groups[^1].Add(segment);
            size += segment.SizeBytes;
        }

        return groups;
    }

    private static bool Changes(SegmentView segment, BatchRetention retention) =>
        SegmentBatches.Read(segment).Any(batch => retention.Judge(batch.Bytes).Fate != BatchFate.Copy);

    private static CleaningResult Rewrite(PartitionLog log, List<SegmentView> group, BatchRetention retention)
    {
        using var cleaned = log.StartCleanedSegment(group[0].BaseOffset);
        long recordsBefore = 0, recordsAfter = 0, bytesBefore = 0;
        foreach (var segment in group)
        {
            bytesBefore += segment.SizeBytes;
            foreach (var (_, bytes) in SegmentBatches.Read(segment))
            {
                var outcome = retention.Judge(bytes);
                recordsBefore += outcome.RecordsBefore;
                recordsAfter += outcome.RecordsAfter;
                switch (outcome.Fate)
                {
                    case BatchFate.Copy:
                        cleaned.Append(bytes.Span);
                        break;
                    case BatchFate.Rewrite:
                        cleaned.Append(outcome.Rewritten!);
                        break;
                }
            }
        }

        cleaned.Complete();
        if (!log.SwapIn([.. group.Select(s => s.Segment)], cleaned))
        {
            return CleaningResult.None; // the log changed meanwhile; the cleaned file goes with the writer
        }

        return new CleaningResult(1, recordsBefore, recordsAfter, bytesBefore, cleaned.Length);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Cleaned {Topic}-{Partition}: {Segments} segment(s) from offset {BaseOffset} rewritten, {RecordsBefore} → {RecordsAfter} records, {BytesBefore} → {BytesAfter} bytes")]
        public static partial void SegmentsCleaned(ILogger logger, string topic, int partition, long baseOffset, int segments, long recordsBefore, long recordsAfter, long bytesBefore, long bytesAfter);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Cleaning {Topic}-{Partition}: {Batches} batch(es) whose records cannot be read here (snappy, lz4 or zstd) are kept whole")]
        public static partial void UnreadableBatches(ILogger logger, string topic, int partition, int batches);
    }
}
