using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>Builds record batches v2 with keys (null value = tombstone), transactional and gzip ones, and transaction
/// markers, for cleaner tests.</summary>
internal static class KeyedBatches
{
    public const long Timestamp = 1_700_000_000_000;

    public static byte[] Build(
        IReadOnlyList<(string? Key, string? Value)> records,
        long timestamp = Timestamp,
        long producerId = -1,
        short epoch = -1,
        int baseSequence = -1,
        bool transactional = false,
        bool gzip = false,
        long timestampStep = 1)
    {
        using var section = new KafkaWriter();
        for (var i = 0; i < records.Count; i++)
        {
            using var record = new KafkaWriter();
            record.WriteInt8(0); // attributes
            record.WriteVarLong(i * timestampStep);
            record.WriteVarInt(i);
            WriteVarBytes(record, records[i].Key);
            WriteVarBytes(record, records[i].Value);
            record.WriteVarInt(1); // one header, copied through cleaning
            WriteVarBytes(record, "h");
            WriteVarBytes(record, $"header-{i}");
            section.WriteVarInt(record.Position);
            section.WriteRaw(record.WrittenSpan);
        }

        var attributes = (short)((transactional ? 0x10 : 0) | (gzip ? BatchCompression.Gzip : 0));
        var body = gzip ? Gzip(section.WrittenSpan) : section.WrittenSpan.ToArray();
        return Header(body, attributes, records.Count - 1, records.Count, timestamp, timestamp + ((records.Count - 1) * timestampStep), producerId, epoch, baseSequence);
    }

    /// <summary>A COMMIT or ABORT control batch of a producer (control and transactional bits set, as Kafka writes them).</summary>
    public static byte[] Marker(long producerId, short epoch, bool commit, long timestamp = Timestamp)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), commit ? (short)1 : (short)0);
        var value = new byte[6];
        using var record = new KafkaWriter();
        record.WriteInt8(0);
        record.WriteVarLong(0);
        record.WriteVarInt(0);
        record.WriteVarInt(key.Length);
        record.WriteRaw(key);
        record.WriteVarInt(value.Length);
        record.WriteRaw(value);
        record.WriteVarInt(0);
        using var section = new KafkaWriter();
        section.WriteVarInt(record.Position);
        section.WriteRaw(record.WrittenSpan);
        return Header(section.WrittenSpan.ToArray(), 0x30, 0, 1, timestamp, timestamp, producerId, epoch, -1);
    }

    private static byte[] Header(byte[] body, short attributes, int lastOffsetDelta, int count, long baseTimestamp, long maxTimestamp, long producerId, short epoch, int baseSequence)
    {
        var batch = new byte[RecordBatchHeader.Size + body.Length];
        var span = batch.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span[8..], batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], -1);
        span[16] = 2;
        BinaryPrimitives.WriteInt16BigEndian(span[21..], attributes);
        BinaryPrimitives.WriteInt32BigEndian(span[23..], lastOffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(span[27..], baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[35..], maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[43..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(span[51..], epoch);
        BinaryPrimitives.WriteInt32BigEndian(span[53..], baseSequence);
        BinaryPrimitives.WriteInt32BigEndian(span[57..], count);
        body.CopyTo(span[RecordBatchHeader.Size..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[17..], Crc32C.Compute(span[RecordBatchHeader.CrcStart..]));
        return batch;
    }

    private static void WriteVarBytes(KafkaWriter writer, string? text)
    {
        if (text is null)
        {
            writer.WriteVarInt(-1);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        writer.WriteVarInt(bytes.Length);
        writer.WriteRaw(bytes);
    }

    private static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
