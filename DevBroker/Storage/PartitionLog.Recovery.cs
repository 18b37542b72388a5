using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>Start-up recovery of a partition log: every stored batch is re-read and checked.</summary>
internal sealed partial class PartitionLog
{
    /// <summary>Rebuilds a segment's index, the producers' state and the transactions' (transactional batches without a
    /// marker yet are open; ABORT markers index the aborted ones); truncates a torn or corrupt tail. False when it did.
    /// The last segment's offsets follow on from its base; a sealed one (<paramref name="nextBaseOffset"/> given) may have
    /// gaps where the log cleaner removed records, but must end before the next segment begins.</summary>
    private bool Recover(LogSegment segment, long? nextBaseOffset, ILogger logger)
    {
        var store = segment.Store;
        var header = new byte[RecordBatchHeader.Size];
        long position = 0;
        var expectedOffset = segment.BaseOffset;
        var buffer = Array.Empty<byte>();
        while (position < store.Length)
        {
            var intact = false;
            if (store.Length - position >= RecordBatchHeader.Size)
            {
                store.Read(position, header);
                var parsed = RecordBatchHeader.Read(header);
                var inPlace = nextBaseOffset is { } next
                    ? parsed.BaseOffset >= expectedOffset && parsed.BaseOffset + parsed.LastOffsetDelta < next
                    : parsed.BaseOffset == expectedOffset;
                if (parsed.BatchLength >= RecordBatchHeader.Size - RecordBatchHeader.LogOverhead
                    && position + parsed.TotalSize <= store.Length
                    && inPlace)
                {
                    if (buffer.Length < parsed.TotalSize)
                    {
                        buffer = new byte[Math.Max(parsed.TotalSize, buffer.Length * 2)];
                    }

                    store.Read(position, buffer.AsSpan(0, parsed.TotalSize));
                    if (RecordBatchHeader.ValidateStored(buffer.AsSpan(0, parsed.TotalSize), out _) == ErrorCode.None)
                    {
                        intact = true;
                        segment.AddToIndex(new BatchIndexEntry(parsed.BaseOffset, parsed.BaseOffset + parsed.LastOffsetDelta, position, parsed.TotalSize, parsed.MaxTimestamp));
                        TrackProducer(parsed, parsed.BaseOffset, buffer.AsMemory(0, parsed.TotalSize));
                        MaxProducerId = Math.Max(MaxProducerId, parsed.ProducerId);

                        expectedOffset = parsed.BaseOffset + parsed.LastOffsetDelta + 1;
                        position += parsed.TotalSize;
                    }
                }
            }

            if (!intact)
            {
                Log.TruncatedTail(logger, store is FileSegmentStore file ? file.Path : "memory", position, store.Length);
                store.Truncate(position);
                return false;
            }
        }

        return true;
    }

    /// <summary>The base offset of the next segment file after <paramref name="index"/> (null for the last one).</summary>
    private static long? NextBaseOffset(List<string> files, int index)
    {
        for (var i = index + 1; i < files.Count; i++)
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(files[i]), out var baseOffset))
            {
                return baseOffset;
            }
        }

        return null;
    }
}
