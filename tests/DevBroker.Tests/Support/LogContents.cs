using System.Text;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>Reads a partition log through Fetch's own read path, batch by batch from its start.</summary>
internal static class LogContents
{
    /// <summary>Every record (offset, key, value; null value = tombstone) of every batch, control batches included.</summary>
    public static List<(long Offset, string? Key, string? Value)> Records(PartitionLog log) =>
        [.. Batches(log).SelectMany(b => (BatchRecordReader.Read(b) ?? throw new InvalidOperationException("unreadable codec")).Select(r =>
        {
            var header = RecordBatchHeader.Read(b.Span);
            var value = r.Value is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : null;
            return (header.BaseOffset + r.OffsetDelta, r.Key is { } key ? Encoding.UTF8.GetString(key.Span) : null, value);
        }))];

    /// <summary>Every batch from the log start on, each validated as stored.</summary>
    public static List<ReadOnlyMemory<byte>> Batches(PartitionLog log)
    {
        var batches = new List<ReadOnlyMemory<byte>>();
        var offset = log.LogStartOffset;
        while (offset < log.HighWatermark)
        {
            using var writer = new KafkaWriter();
            var outcome = log.Read(offset, 1, atLeastOne: true, writer);
            Assert.Equal(ErrorCode.None, outcome.Error);
            var reader = new KafkaReader(writer.WrittenMemory.ToArray());
            var length = reader.ReadInt32();
            if (length == 0)
            {
                break; // a gap at the end: nothing more to read below the high watermark
            }

            var batch = reader.ReadRaw(length);
            Assert.Equal(ErrorCode.None, RecordBatchHeader.ValidateStored(batch.Span, out var header));
            batches.Add(batch);
            offset = header.BaseOffset + header.LastOffsetDelta + 1;
        }

        return batches;
    }
}
