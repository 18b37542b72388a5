using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>Start-up recovery of a partition log: every stored batch is re-read and checked.</summary>
internal sealed partial class PartitionLog
{
    /// <summary>Rebuilds a segment's index and the producers' state; truncates a torn or corrupt tail. False when it did.</summary>
    private bool Recover(LogSegment segment, ILogger logger)
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
                if (parsed.BatchLength >= RecordBatchHeader.Size - RecordBatchHeader.LogOverhead
                    && position + parsed.TotalSize <= store.Length
                    && parsed.BaseOffset == expectedOffset)
                {
                    if (buffer.Length < parsed.TotalSize)
                    {
                        buffer = new byte[Math.Max(parsed.TotalSize, buffer.Length * 2)];
                    }

                    store.Read(position, buffer.AsSpan(0, parsed.TotalSize));
                    if (RecordBatchHeader.Validate(buffer.AsSpan(0, parsed.TotalSize), out _) == ErrorCode.None)
                    {
                        intact = true;
                        segment.AddToIndex(new BatchIndexEntry(parsed.BaseOffset, parsed.BaseOffset + parsed.LastOffsetDelta, position, parsed.TotalSize, parsed.MaxTimestamp));
                        if (parsed.HasProducerId)
                        {
                            Producer(parsed.ProducerId).Record(parsed.ProducerEpoch, parsed.BaseSequence, parsed.LastSequence, parsed.BaseOffset);
                            MaxProducerId = Math.Max(MaxProducerId, parsed.ProducerId);
                        }

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
}
