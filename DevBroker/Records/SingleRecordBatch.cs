using System.Buffers.Binary;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Records;

/// <summary>
/// A record batch v2 holding one record, written by the broker itself (the schema registry's <c>_schemas</c> records):
/// no producer id, epoch or sequence — as a plain, non-idempotent producer sends it — and no compression.
/// </summary>
public static class SingleRecordBatch
{
    /// <summary>The batch, ready to append (its base offset is assigned by the log). A null value is a tombstone (an array,
    /// not a nullable memory: a null array would silently become an empty value on its way into one).</summary>
    public static byte[] Build(ReadOnlySpan<byte> key, byte[]? value, long timestamp)
    {
        using var record = new KafkaWriter(64 + key.Length + (value?.Length ?? 0));
        record.WriteInt8(0); // attributes
        record.WriteVarLong(0); // timestamp delta
        record.WriteVarInt(0); // offset delta
        record.WriteVarInt(key.Length);
        record.WriteRaw(key);
        if (value is { } bytes)
        {
            record.WriteVarInt(bytes.Length);
            record.WriteRaw(bytes);
        }
        else
        {
            record.WriteVarInt(-1);
        }

        record.WriteVarInt(0); // headers

        using var batch = new KafkaWriter(RecordBatchHeader.Size + 8 + record.Position);
        batch.WriteInt64(0); // base offset
        var lengthAt = batch.ReserveInt32();
        batch.WriteInt32(-1); // partition leader epoch
        batch.WriteInt8(2); // magic
        var crcAt = batch.ReserveInt32();
        batch.WriteInt16(0); // attributes: no compression, not transactional, not control
        batch.WriteInt32(0); // last offset delta
        batch.WriteInt64(timestamp);
        batch.WriteInt64(timestamp);
        batch.WriteInt64(-1); // producer id
        batch.WriteInt16(-1); // producer epoch
        batch.WriteInt32(-1); // base sequence
        batch.WriteInt32(1); // record count
        batch.WriteVarInt(record.Position);
        batch.WriteRaw(record.WrittenSpan);
        batch.PatchInt32(lengthAt, batch.Position - RecordBatchHeader.LogOverhead);
        var built = batch.WrittenSpan.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(built.AsSpan(crcAt), Crc32C.Compute(built.AsSpan(RecordBatchHeader.CrcStart)));
        return built;
    }
}
