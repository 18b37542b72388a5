using System.Buffers.Binary;
using System.Text;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>Builds record batches v2 by hand, for raw-socket and storage tests.</summary>
internal static class TestBatches
{
    public static byte[] Build(IReadOnlyList<string> values, long timestamp = 1_700_000_000_000, long producerId = -1, short epoch = -1, int baseSequence = -1, long timestampStep = 0, bool transactional = false)
    {
        using var records = new KafkaWriter();
        for (var i = 0; i < values.Count; i++)
        {
            using var record = new KafkaWriter();
            record.WriteInt8(0); // attributes
            record.WriteVarLong(i * timestampStep); // timestamp delta
            record.WriteVarInt(i); // offset delta
            record.WriteVarInt(-1); // null key
            var value = Encoding.UTF8.GetBytes(values[i]);
            record.WriteVarInt(value.Length);
            record.WriteRaw(value);
            record.WriteVarInt(0); // headers
            records.WriteVarInt(record.Position);
            records.WriteRaw(record.WrittenSpan);
        }

        var batch = new byte[RecordBatchHeader.Size + records.Position];
        var span = batch.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(span, 0);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], -1);
        span[16] = 2;
        BinaryPrimitives.WriteInt16BigEndian(span[21..], (short)(transactional ? 0x10 : 0)); // attributes
        BinaryPrimitives.WriteInt32BigEndian(span[23..], values.Count - 1);
        BinaryPrimitives.WriteInt64BigEndian(span[27..], timestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[35..], timestamp + ((values.Count - 1) * timestampStep));
        BinaryPrimitives.WriteInt64BigEndian(span[43..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(span[51..], epoch);
        BinaryPrimitives.WriteInt32BigEndian(span[53..], baseSequence);
        BinaryPrimitives.WriteInt32BigEndian(span[57..], values.Count);
        records.WrittenSpan.CopyTo(span[RecordBatchHeader.Size..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[17..], Crc32C.Compute(span[RecordBatchHeader.CrcStart..]));
        return batch;
    }
}
