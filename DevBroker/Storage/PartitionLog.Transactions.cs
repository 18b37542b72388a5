using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>
/// A partition's side of transactions: which producers have a transaction open here (from its first transactional
/// batch to its marker), the aborted transactions (what read_committed readers skip and a cleaner may drop) and the
/// last stable offset. Rebuilt from the batches by recovery, kept up to date by every append.
/// </summary>
internal sealed partial class PartitionLog
{
    // Producer id → offset of its open transaction's first batch on this partition.
    private readonly Dictionary<long, long> _openTransactions = [];

    // In the order of their ABORT markers, so by LastOffset.
    private readonly List<AbortedTransaction> _abortedTransactions = [];

    /// <summary>The first offset of the earliest transaction still open here, else the high watermark: read_committed
    /// readers see nothing at or past it (and a cleaner must not touch it).</summary>
    public long LastStableOffset
    {
        get
        {
            lock (_lock)
            {
                return LastStableOffsetLocked();
            }
        }
    }

    /// <summary>The aborted transactions still in the log, in marker order (what a cleaner may remove with their markers).</summary>
    public IReadOnlyList<AbortedTransaction> AbortedTransactions
    {
        get
        {
            lock (_lock)
            {
                return [.. _abortedTransactions];
            }
        }
    }

    /// <summary>True when the producer's batch at <paramref name="offset"/> belongs to an aborted transaction (a cleaner
    /// drops such batches; an open transaction's batches are never aborted yet).</summary>
    public bool IsAborted(long producerId, long offset)
    {
        lock (_lock)
        {
            return _abortedTransactions.Exists(a => a.ProducerId == producerId && a.FirstOffset <= offset && offset <= a.LastOffset);
        }
    }

    /// <summary>True while the producer has written transactional batches here that no marker has ended yet.</summary>
    public bool HasOpenTransaction(long producerId)
    {
        lock (_lock)
        {
            return _openTransactions.ContainsKey(producerId);
        }
    }

    /// <summary>The last stable offset and the aborted transactions a read_committed Fetch from <paramref name="fromOffset"/>
    /// must be told about: those ending at or after it and starting before the last stable offset.</summary>
    public TransactionView ViewFrom(long fromOffset)
    {
        lock (_lock)
        {
            var stable = LastStableOffsetLocked();
            var aborted = new List<AbortedTransaction>();
            var first = FirstAbortedEndingAtOrAfter(fromOffset);
            for (var i = first; i < _abortedTransactions.Count; i++)
            {
                if (_abortedTransactions[i].FirstOffset < stable)
                {
                    aborted.Add(_abortedTransactions[i]);
                }
            }

            return new TransactionView(stable, aborted);
        }
    }

    /// <summary>Ends the producer's transaction on this partition with a COMMIT or ABORT marker (written even when the
    /// producer wrote nothing here, as Kafka does for every partition of a transaction).</summary>
    public AppendOutcome AppendMarker(ControlRecordType type, long producerId, short producerEpoch, int coordinatorEpoch, long timestamp, bool fsync)
    {
        var marker = ControlBatch.Build(type, producerId, producerEpoch, coordinatorEpoch, timestamp);
        var header = RecordBatchHeader.Read(marker);
        lock (_lock)
        {
            if (_segments.Count == 0)
            {
                return new AppendOutcome(ErrorCode.UnknownTopicOrPartition, -1, -1); // deleted meanwhile
            }

            var offset = WriteBatch(marker, header);
            _segments[^1].Store.Flush(fsync);
            return new AppendOutcome(ErrorCode.None, offset, _logStartOffset);
        }
    }

    /// <summary>Updates the producer's idempotence state and its transaction on this partition for a batch written at
    /// <paramref name="baseOffset"/> (an append, or a batch re-read by recovery). Under the lock.</summary>
    private void TrackProducer(in RecordBatchHeader header, long baseOffset, ReadOnlyMemory<byte> batch)
    {
        if (!header.HasProducerId)
        {
            return;
        }

        if (header.IsControl)
        {
            Producer(header.ProducerId).RecordMarker(header.ProducerEpoch);
            var type = ControlBatch.ReadType(batch);
            if (type is not null && _openTransactions.Remove(header.ProducerId, out var firstOffset) && type == ControlRecordType.Abort)
            {
                _abortedTransactions.Add(new AbortedTransaction(header.ProducerId, firstOffset, baseOffset));
            }

            return;
        }

        Producer(header.ProducerId).Record(header.ProducerEpoch, header.BaseSequence, header.LastSequence, baseOffset);
        if (header.IsTransactional)
        {
            _openTransactions.TryAdd(header.ProducerId, baseOffset);
        }
    }

    private long LastStableOffsetLocked()
    {
        var stable = _highWatermark;
        foreach (var first in _openTransactions.Values)
        {
            stable = Math.Min(stable, first);
        }

        // Retention may have removed an open transaction's first batches; nothing before the log start can be read.
        return Math.Max(stable, _logStartOffset);
    }

    private int FirstAbortedEndingAtOrAfter(long offset)
    {
        int low = 0, high = _abortedTransactions.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_abortedTransactions[mid].LastOffset < offset)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>Retention moved the log start: aborted transactions wholly before it are gone from the log.</summary>
    private void ForgetAbortedTransactionsBefore(long logStartOffset) =>
        _abortedTransactions.RemoveRange(0, FirstAbortedEndingAtOrAfter(logStartOffset));

    private void ForgetTransactions()
    {
        _openTransactions.Clear();
        _abortedTransactions.Clear();
    }
}
