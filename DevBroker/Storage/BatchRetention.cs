using InventoryOrleans.DevBroker.Records;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>The cleaner's rules for one batch of a cleanable segment, as Kafka's cleaner applies them:
/// <list type="bullet">
/// <item>a record stays when it is its key's newest (<see cref="KeyOffsetMap"/>); a record without a key goes;</item>
/// <item>a tombstone (null value) stays until the batch's delete horizon: the first pass that keeps it sets the horizon
/// to now + delete.retention.ms (KIP-534: attribute bit 6, the base timestamp holds it), a later pass past it drops it;</item>
/// <item>a batch of an aborted transaction goes whole;</item>
/// <item>a COMMIT/ABORT marker stays while any data batch of its transaction is in the log, then gets a delete horizon
/// the same way and goes after it;</item>
/// <item>the last batch of each producer stays (emptied of its records if none stays), so a restarted broker still knows
/// the producer's epoch and last sequence; so does the batch that ends right before <paramref name="roundEnd"/> (the first
/// offset the pass does not clean), so a reader below it always finds a batch and the log never ends in a gap;</item>
/// <item>a batch whose records cannot be read here (snappy, lz4, zstd) is copied whole.</item>
/// </list></summary>
internal sealed class BatchRetention(KeyOffsetMap keys, LogTransactions transactions, long roundEnd, long nowMs, long deleteRetentionMs)
{
    /// <summary>The earliest delete horizon still ahead among the batches judged: when a pass will next remove something.</summary>
    public long NextHorizonMs { get; private set; } = long.MaxValue;

    public BatchOutcome Judge(ReadOnlyMemory<byte> batch)
    {
        var header = RecordBatchHeader.Read(batch.Span);
        if (header.IsControl)
        {
            return JudgeMarker(batch, header);
        }

        if (header.IsTransactional && transactions.IsAborted(header.BaseOffset))
        {
            return !MustStay(header) ? new BatchOutcome(BatchFate.Drop, null, header.RecordCount, 0)
                : header.RecordCount == 0 ? BatchOutcome.Copy(0)
                : new BatchOutcome(BatchFate.Rewrite, CleanedBatch.Empty(batch.Span), header.RecordCount, 0);
        }

        if (BatchRecordReader.TryRead(batch) is not { } records)
        {
            return BatchOutcome.Copy(header.RecordCount);
        }

        long? horizon = CleanedBatch.HasDeleteHorizon(header) ? header.BaseTimestamp : null;
        var tombstonesExpired = horizon <= nowMs;
        var kept = records
            .Where(r => r.Key is { } key && IsNewest(key.Span, header.BaseOffset + r.OffsetDelta) && (r.HasValue || !tombstonesExpired))
            .ToList();
        if (kept.Count == 0)
        {
            if (!MustStay(header))
            {
                return new BatchOutcome(BatchFate.Drop, null, records.Count, 0);
            }

            return records.Count == 0
                ? BatchOutcome.Copy(0)
                : new BatchOutcome(BatchFate.Rewrite, CleanedBatch.Empty(batch.Span), records.Count, 0);
        }

        var keepsTombstones = kept.Exists(r => !r.HasValue);
        var setHorizon = horizon is null && keepsTombstones;
        var newHorizon = setHorizon ? HorizonFromNow() : horizon;
        if (keepsTombstones)
        {
            NextHorizonMs = Math.Min(NextHorizonMs, newHorizon!.Value);
        }

        return kept.Count == records.Count && !setHorizon
            ? BatchOutcome.Copy(records.Count)
            : new BatchOutcome(BatchFate.Rewrite, CleanedBatch.WithRecords(batch.Span, kept, newHorizon), records.Count, kept.Count);
    }

    private BatchOutcome JudgeMarker(ReadOnlyMemory<byte> batch, RecordBatchHeader header)
    {
        if (MustStay(header) || !transactions.EndsEmptyTransaction(header.BaseOffset))
        {
            return BatchOutcome.Copy(header.RecordCount);
        }

        if (CleanedBatch.HasDeleteHorizon(header))
        {
            if (header.BaseTimestamp <= nowMs)
            {
                return new BatchOutcome(BatchFate.Drop, null, header.RecordCount, 0);
            }

            NextHorizonMs = Math.Min(NextHorizonMs, header.BaseTimestamp);
            return BatchOutcome.Copy(header.RecordCount);
        }

        if (BatchRecordReader.TryRead(batch) is not { Count: > 0 } records)
        {
            return BatchOutcome.Copy(header.RecordCount);
        }

        var horizon = HorizonFromNow();
        NextHorizonMs = Math.Min(NextHorizonMs, horizon);
        return new BatchOutcome(BatchFate.Rewrite, CleanedBatch.WithRecords(batch.Span, records, horizon), records.Count, records.Count);
    }

    private bool MustStay(RecordBatchHeader header) =>
        transactions.IsLastOfProducer(header) || header.BaseOffset + header.LastOffsetDelta + 1 == roundEnd;

    // A key missing from the map (it cannot be, for a readable batch below the stable offset) keeps its record.
    private bool IsNewest(ReadOnlySpan<byte> key, long offset) => keys.Latest(key) is not { } newest || newest == offset;

    private long HorizonFromNow() => deleteRetentionMs > long.MaxValue - nowMs ? long.MaxValue : nowMs + deleteRetentionMs;
}
