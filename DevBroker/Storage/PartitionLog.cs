using System.Buffers.Binary;
using System.Runtime.InteropServices;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>One partition's log: segments of record batches stored as they came (base offset rewritten), the
/// idempotent producers' recent sequences, and the offsets. All access goes through its lock.</summary>
internal sealed partial class PartitionLog : IDisposable
{
    private readonly object _lock = new();
    private readonly List<LogSegment> _segments = [];
    private readonly Dictionary<long, ProducerState> _producers = [];
    private readonly string? _directory;
    private readonly int _segmentBytes;
    private long _highWatermark;
    private long _logStartOffset;

    private PartitionLog(string? directory, int segmentBytes)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
    }

    /// <summary>The next offset to be written (no replication: the high watermark is the log end).</summary>
    public long HighWatermark => Volatile.Read(ref _highWatermark);

    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>Largest producer id seen while recovering (so new ids never collide with stored ones).</summary>
    public long MaxProducerId { get; private set; } = -1;

    public long SizeBytes
    {
        get
        {
            lock (_lock)
            {
                return _segments.Sum(s => s.SizeBytes);
            }
        }
    }

    /// <summary>Opens (recovering from <paramref name="directory"/>) or creates a partition log; null directory = in memory.</summary>
    public static PartitionLog Open(string? directory, int segmentBytes, ILogger logger)
    {
        var log = new PartitionLog(directory, segmentBytes);
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
            FinishInterruptedCleaning(directory, logger);
            var files = Directory.GetFiles(directory, "*.log").Order(StringComparer.Ordinal).ToList();
            bool torn = false, tornSealed = false;
            for (var i = 0; i < files.Count; i++)
            {
                var file = files[i];
                if (torn || !long.TryParse(Path.GetFileNameWithoutExtension(file), out var baseOffset))
                {
                    // Segments after a torn one cannot be trusted to follow on; they are dropped like the tail.
                    Log.DroppedSegment(logger, file);
                    File.Delete(file);
                    continue;
                }

                var segment = new LogSegment(baseOffset, new FileSegmentStore(file));
                var next = NextBaseOffset(files, i);
                torn = !log.Recover(segment, next, logger);
                log._segments.Add(segment);
                tornSealed = torn && next is not null;
            }

            if (tornSealed && log._segments[^1].Index.Count > 0)
            {
                // A sealed segment may have gaps (cleaned) that an active one may not: it stays sealed.
                log._segments.Add(log.NewSegment(log._segments[^1].NextOffset));
            }
        }

        if (log._segments.Count == 0)
        {
            log._segments.Add(log.NewSegment(0));
        }

        log._logStartOffset = log._segments[0].BaseOffset;
        log._highWatermark = log._segments[^1].NextOffset;
        return log;
    }

    /// <summary>Checks each batch's producer sequence, then appends the new ones with broker-assigned offsets.
    /// The batches must be validated already (<see cref="RecordBatchHeader.Validate"/>).</summary>
    public AppendOutcome Append(IReadOnlyList<(ReadOnlyMemory<byte> Bytes, RecordBatchHeader Header)> batches, bool fsync)
    {
        lock (_lock)
        {
            if (_segments.Count == 0)
            {
                return new AppendOutcome(ErrorCode.UnknownTopicOrPartition, -1, -1); // deleted meanwhile
            }

            // Check every batch first, so a refused produce appends nothing.
            var duplicates = new long[batches.Count];
            for (var i = 0; i < batches.Count; i++)
            {
                var header = batches[i].Header;
                duplicates[i] = -1;
                if (header.HasProducerId && _producers.TryGetValue(header.ProducerId, out var producer))
                {
                    var error = producer.Check(header.ProducerEpoch, header.BaseSequence, header.LastSequence, out duplicates[i]);
                    if (error != ErrorCode.None)
                    {
                        return new AppendOutcome(error, -1, _logStartOffset);
                    }
                }
            }

            long firstOffset = -1;
            for (var i = 0; i < batches.Count; i++)
            {
                var (bytes, header) = batches[i];
                if (duplicates[i] >= 0)
                {
                    firstOffset = firstOffset < 0 ? duplicates[i] : firstOffset;
                    continue;
                }

                // The request buffer is this connection's private copy: the fields outside the CRC are rewritten in place.
                var baseOffset = WriteBatch(MemoryMarshal.AsMemory(bytes[..header.TotalSize]), header);
                firstOffset = firstOffset < 0 ? baseOffset : firstOffset;
            }

            _segments[^1].Store.Flush(fsync);
            return new AppendOutcome(ErrorCode.None, firstOffset, _logStartOffset);
        }
    }

    /// <summary>Writes the batches from <paramref name="offset"/> on (starting with the batch that contains it) as a
    /// length-prefixed records field, up to <paramref name="maxBytes"/>; with <paramref name="atLeastOne"/> the first
    /// batch is returned even when larger, so a consumer never stalls on a big batch. Batches starting at or after
    /// <paramref name="upTo"/> are left out (read_committed readers stop at the last stable offset).</summary>
    public ReadOutcome Read(long offset, int maxBytes, bool atLeastOne, KafkaWriter writer, long upTo = long.MaxValue)
    {
        lock (_lock)
        {
            if (_segments.Count == 0)
            {
                writer.WriteInt32(0);
                return new ReadOutcome(ErrorCode.UnknownTopicOrPartition, 0, -1, -1); // deleted meanwhile
            }

            if (offset < _logStartOffset || offset > _highWatermark)
            {
                writer.WriteInt32(0);
                return new ReadOutcome(ErrorCode.OffsetOutOfRange, 0, _highWatermark, _logStartOffset);
            }

            var (segment, first) = Locate(offset);
            if (segment is null || (maxBytes <= 0 && !atLeastOne) || segment.Index[first].BaseOffset >= upTo)
            {
                writer.WriteInt32(0);
                return new ReadOutcome(ErrorCode.None, 0, _highWatermark, _logStartOffset);
            }

            var index = segment.Index;
            long total = index[first].Size;
            if (total > maxBytes && !atLeastOne)
            {
                writer.WriteInt32(0);
                return new ReadOutcome(ErrorCode.None, 0, _highWatermark, _logStartOffset);
            }

            var last = first;
            while (last + 1 < index.Count && total + index[last + 1].Size <= maxBytes && index[last + 1].BaseOffset < upTo)
            {
                last++;
                total += index[last].Size;
            }

            var length = (int)total;
            writer.WriteInt32(length);
            segment.Store.Read(index[first].Position, writer.GetSpan(length)[..length]);
            writer.Advance(length);
            return new ReadOutcome(ErrorCode.None, length, _highWatermark, _logStartOffset);
        }
    }

    /// <summary>ListOffsets by time: the first record whose timestamp is at or after <paramref name="timestamp"/>, found
    /// through the batches' max timestamps; inside a compressed batch, the batch's first offset. Null when there is none.</summary>
    public (long Offset, long Timestamp)? FindByTimestamp(long timestamp)
    {
        lock (_lock)
        {
            foreach (var segment in _segments)
            {
                if (segment.MaxTimestamp < timestamp)
                {
                    continue;
                }

                foreach (var entry in segment.Index)
                {
                    if (entry.MaxTimestamp >= timestamp)
                    {
                        var batch = new byte[entry.Size];
                        segment.Store.Read(entry.Position, batch);
                        var found = RecordTimestamps.FirstAtOrAfter(batch, timestamp) ?? (entry.BaseOffset, entry.MaxTimestamp);
                        return (Math.Max(found.Offset, _logStartOffset), found.Timestamp);
                    }
                }
            }

            return null;
        }
    }

    /// <summary>Deletes whole old segments past the time or size limit (−1 = none) and moves the log start offset.</summary>
    public int ApplyRetention(long nowMs, long retentionMs, long retentionBytes)
    {
        lock (_lock)
        {
            if (_segments.Count == 0)
            {
                return 0; // deleted meanwhile
            }

            // Kafka rolls an idle segment eventually (segment.ms); rolling the active one when it is wholly
            // expired lets time retention empty a partition that stopped receiving data.
            var active = _segments[^1];
            if (retentionMs > 0 && active.Index.Count > 0 && active.MaxTimestamp < nowMs - retentionMs)
            {
                _segments.Add(NewSegment(_highWatermark));
            }

            var deleted = 0;
            var total = _segments.Sum(s => s.SizeBytes);
            while (_segments.Count > 1)
            {
                var oldest = _segments[0];
                var expired = retentionMs > 0 && oldest.MaxTimestamp < nowMs - retentionMs;
                var tooBig = retentionBytes > 0 && total - oldest.SizeBytes >= retentionBytes;
                if (!expired && !tooBig)
                {
                    break;
                }

                oldest.Store.Delete();
                _segments.RemoveAt(0);
                total -= oldest.SizeBytes;
                deleted++;
            }

            Volatile.Write(ref _logStartOffset, _segments[0].BaseOffset);
            ForgetAbortedTransactionsBefore(_logStartOffset);
            return deleted;
        }
    }

    /// <summary>Removes the partition's files (topic deletion).</summary>
    public void Delete()
    {
        lock (_lock)
        {
            foreach (var segment in _segments)
            {
                segment.Store.Delete();
            }

            _segments.Clear();
            ForgetTransactions();
            if (_directory is not null && Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var segment in _segments)
            {
                segment.Store.Dispose();
            }
        }
    }

    /// <summary>Appends one validated batch at the log end (rolling the segment when full): its base offset and leader
    /// epoch are rewritten in place, the index, producer and transaction state and the high watermark follow. Under the lock.</summary>
    private long WriteBatch(Memory<byte> bytes, in RecordBatchHeader header)
    {
        var baseOffset = _highWatermark;
        var size = header.TotalSize;
        var active = _segments[^1];
        if (active.SizeBytes > 0 && active.SizeBytes + size > _segmentBytes)
        {
            active = NewSegment(baseOffset);
            _segments.Add(active);
        }

        var span = bytes.Span;
        BinaryPrimitives.WriteInt64BigEndian(span, baseOffset);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], 0); // partitionLeaderEpoch
        var position = active.SizeBytes;
        active.Store.Append(span);
        active.AddToIndex(new BatchIndexEntry(baseOffset, baseOffset + header.LastOffsetDelta, position, size, header.MaxTimestamp));
        TrackProducer(header, baseOffset, bytes);
        Volatile.Write(ref _highWatermark, baseOffset + header.LastOffsetDelta + 1);
        return baseOffset;
    }

    private (LogSegment? Segment, int Batch) Locate(long offset)
    {
        // Segments are few; the batch lookup inside one is a binary search.
        var s = _segments.Count - 1;
        while (s > 0 && _segments[s].BaseOffset > offset)
        {
            s--;
        }

        for (; s < _segments.Count; s++)
        {
            var batch = _segments[s].FindBatch(offset);
            if (batch >= 0)
            {
                return (_segments[s], batch);
            }
        }

        return (null, -1);
    }

    private ProducerState Producer(long producerId)
    {
        if (!_producers.TryGetValue(producerId, out var state))
        {
            state = new ProducerState();
            _producers[producerId] = state;
        }

        return state;
    }

    private LogSegment NewSegment(long baseOffset) => new(
        baseOffset,
        _directory is null ? new MemorySegmentStore() : new FileSegmentStore(Path.Combine(_directory, LogSegment.FileName(baseOffset))));

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {Path}: torn or corrupt data from byte {Position} of {Length}; truncated")]
        public static partial void TruncatedTail(ILogger logger, string path, long position, long length);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {Path} follows a truncated one; deleted")]
        public static partial void DroppedSegment(ILogger logger, string path);
    }
}
