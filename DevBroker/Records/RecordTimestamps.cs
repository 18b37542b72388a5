using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Records;

/// <summary>Reads record timestamps inside an uncompressed record batch (for ListOffsets by time).</summary>
public static class RecordTimestamps
{
    /// <summary>Offset and timestamp of the batch's first record at or after <paramref name="timestamp"/>; null when the
    /// batch is compressed, uses log-append time, or cannot be read.</summary>
    public static (long Offset, long Timestamp)? FirstAtOrAfter(ReadOnlyMemory<byte> batch, long timestamp)
    {
        var header = RecordBatchHeader.Read(batch.Span);
        if ((header.Attributes & 0x07) != 0 || (header.Attributes & 0x08) != 0)
        {
            return null; // compressed (codec bits) or log-append time: only the batch's bounds are known
        }

        try
        {
            var reader = new KafkaReader(batch[RecordBatchHeader.Size..header.TotalSize]);
            for (var i = 0; i < header.RecordCount; i++)
            {
                var length = reader.ReadVarInt();
                var start = reader.Position;
                reader.ReadInt8(); // attributes
                var recordTimestamp = header.BaseTimestamp + reader.ReadVarLong();
                var offsetDelta = reader.ReadVarInt();
                if (recordTimestamp >= timestamp)
                {
                    return (header.BaseOffset + offsetDelta, recordTimestamp);
                }

                reader.ReadRaw(length - (reader.Position - start));
            }
        }
        catch (KafkaProtocolException)
        {
            // A batch whose records do not parse (the CRC only proves they arrived as sent): fall back to its bounds.
        }

        return null;
    }
}
