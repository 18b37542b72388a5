using InventoryOrleans.DevBroker.Records;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>What a partition's log itself says about transactions and producers, read from its batch headers and control
/// batches (so the cleaner depends on no in-memory transaction state): a transactional batch of producer P is aborted
/// when P's next control batch is an ABORT, committed when it is a COMMIT, and open while there is none yet — the
/// first offset of the first open transaction is the last stable offset, where cleaning stops.</summary>
internal sealed class LogTransactions
{
    private readonly HashSet<long> _abortedBatches = [];
    private readonly Dictionary<long, int> _dataBatchesOfMarker = [];
    private readonly Dictionary<long, long> _lastBatchOfProducer = [];

    private LogTransactions()
    {
    }

    /// <summary>The first offset of the first open transaction, or the end of the snapshot when none is open.</summary>
    public long StableOffset { get; private set; }

    public static LogTransactions Scan(CleanerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var scan = new LogTransactions();
        var open = new Dictionary<long, List<long>>(); // producer id → its open transaction's data batches
        foreach (var segment in snapshot.Segments)
        {
            foreach (var (_, bytes) in SegmentBatches.Read(segment))
            {
                var header = RecordBatchHeader.Read(bytes.Span);
                if (header.HasProducerId)
                {
                    scan._lastBatchOfProducer[header.ProducerId] = header.BaseOffset;
                }

                if (header.IsControl)
                {
                    var marker = TransactionMarkers.Read(bytes);
                    if (marker == TransactionMarker.Unknown)
                    {
                        continue; // not a transaction's end: it neither closes nor may be removed
                    }

                    open.Remove(header.ProducerId, out var batches);
                    if (marker == TransactionMarker.Abort && batches is not null)
                    {
                        scan._abortedBatches.UnionWith(batches);
                    }

                    scan._dataBatchesOfMarker[header.BaseOffset] = batches?.Count ?? 0;
                }
                else if (header.IsTransactional)
                {
                    if (!open.TryGetValue(header.ProducerId, out var batches))
                    {
                        batches = [];
                        open[header.ProducerId] = batches;
                    }

                    batches.Add(header.BaseOffset);
                }
            }
        }

        scan.StableOffset = open.Count > 0 ? open.Values.Min(b => b[0]) : snapshot.EndOffset;
        return scan;
    }

    /// <summary>True for a data batch of an aborted transaction (by its base offset).</summary>
    public bool IsAborted(long baseOffset) => _abortedBatches.Contains(baseOffset);

    /// <summary>True for a COMMIT or ABORT marker none of whose transaction's data batches is left in the log.</summary>
    public bool EndsEmptyTransaction(long markerOffset) =>
        _dataBatchesOfMarker.TryGetValue(markerOffset, out var count) && count == 0;

    /// <summary>True for the last batch of its producer in the log: it carries the producer's epoch and last sequence,
    /// which a restarted broker rebuilds from the log, so the cleaner keeps it (empty when none of its records stays).</summary>
    public bool IsLastOfProducer(RecordBatchHeader header) =>
        header.HasProducerId && _lastBatchOfProducer.TryGetValue(header.ProducerId, out var last) && last == header.BaseOffset;
}
