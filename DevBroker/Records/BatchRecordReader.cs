using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Records;

/// <summary>Reads the records of a record batch v2 (uncompressed or gzip).</summary>
public static class BatchRecordReader
{
    /// <summary>The batch's records, or null when its codec cannot be read here (snappy, lz4, zstd). Throws
    /// <see cref="KafkaProtocolException"/> or <see cref="InvalidDataException"/> when the records do not parse.</summary>
    public static IReadOnlyList<BatchRecord>? Read(ReadOnlyMemory<byte> batch)
    {
        var header = RecordBatchHeader.Read(batch.Span);
        if (!BatchCompression.CanRead(header.Attributes))
        {
            return null;
        }

        var section = BatchCompression.Decompress(header.Attributes, batch[RecordBatchHeader.Size..header.TotalSize]);
        var reader = new KafkaReader(section);
        var records = new List<BatchRecord>(header.RecordCount);
        for (var i = 0; i < header.RecordCount; i++)
        {
            var length = reader.ReadVarInt();
            if (length < 0 || length > reader.Remaining)
            {
                throw new KafkaProtocolException($"Record length {length} with {reader.Remaining} bytes left.");
            }

            var body = new KafkaReader(reader.ReadRaw(length));
            var attributes = body.ReadInt8();
            var timestamp = header.BaseTimestamp + body.ReadVarLong();
            var offsetDelta = body.ReadVarInt();
            var tailStart = body.Position;
            var key = ReadVarBytes(body);
            var value = ReadVarBytes(body);
            var tail = section.Slice(reader.Position - length + tailStart, length - tailStart);
            records.Add(new BatchRecord(attributes, timestamp, offsetDelta, key, value, tail));
        }

        return records;
    }

    /// <summary>Like <see cref="Read"/>, but null also when the records do not parse.</summary>
    public static IReadOnlyList<BatchRecord>? TryRead(ReadOnlyMemory<byte> batch)
    {
        try
        {
            return Read(batch);
        }
        catch (Exception ex) when (ex is KafkaProtocolException or InvalidDataException)
        {
            return null;
        }
    }

    private static ReadOnlyMemory<byte>? ReadVarBytes(KafkaReader reader)
    {
        var length = reader.ReadVarInt();
        return length switch
        {
            -1 => (ReadOnlyMemory<byte>?)null, // typed: a bare null would become an empty ReadOnlyMemory through byte[]
            < -1 => throw new KafkaProtocolException($"Invalid record field length {length}."),
            _ => reader.ReadRaw(length),
        };
    }
}
