using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Records;

/// <summary>Kafka refuses a record without a key on a compacted topic (INVALID_RECORD): compaction keeps the newest
/// record per key, and such a record has none.</summary>
public static class CompactedTopicRecords
{
    /// <summary>None when every record of every (validated) batch has a key; INVALID_RECORD when one has none;
    /// CORRUPT_MESSAGE when the records do not parse. Batches in codecs this broker cannot read (snappy, lz4, zstd) are
    /// not checked (SKIPPED.md).</summary>
    public static ErrorCode Check(IReadOnlyList<(ReadOnlyMemory<byte> Bytes, RecordBatchHeader Header)> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        foreach (var (bytes, header) in batches)
        {
            if (header.IsControl || !BatchCompression.CanRead(header.Attributes))
            {
                continue;
            }

            try
            {
                if (HasRecordWithoutKey(bytes, header))
                {
                    return ErrorCode.InvalidRecord;
                }
            }
            catch (Exception ex) when (ex is KafkaProtocolException or InvalidDataException)
            {
                return ErrorCode.CorruptMessage;
            }
        }

        return ErrorCode.None;
    }

    // Walks the records as far as their key lengths only: this runs on every produce to a compacted topic.
    private static bool HasRecordWithoutKey(ReadOnlyMemory<byte> batch, RecordBatchHeader header)
    {
        var reader = new KafkaReader(BatchCompression.Decompress(header.Attributes, batch[RecordBatchHeader.Size..header.TotalSize]));
        for (var i = 0; i < header.RecordCount; i++)
        {
            var length = reader.ReadVarInt();
            var start = reader.Position;
            reader.ReadInt8(); // attributes
            reader.ReadVarLong(); // timestamp delta
            reader.ReadVarInt(); // offset delta
            if (reader.ReadVarInt() < 0)
            {
                return true;
            }

            var rest = length - (reader.Position - start);
            if (rest < 0)
            {
                throw new KafkaProtocolException($"Record {i} is shorter than its fields.");
            }

            reader.ReadRaw(rest);
        }

        return false;
    }
}
