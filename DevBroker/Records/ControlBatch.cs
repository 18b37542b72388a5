using System.Buffers.Binary;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Records;

/// <summary>
/// Transaction markers as Kafka writes them: a record batch v2 with the control and transactional attributes, the
/// producer's id and epoch, no sequence, and one record whose key is (version int16 0, type int16) and whose value is
/// (version int16 0, coordinator epoch int32). Readers skip these batches; read_committed readers use them to end a
/// producer's transaction.
/// </summary>
public static class ControlBatch
{
    /// <summary>Attributes: transactional (bit 4) and control (bit 5), no compression.</summary>
    public const short Attributes = 0x30;

    /// <summary>A marker batch ready to append (its base offset is assigned by the log).</summary>
    public static byte[] Build(ControlRecordType type, long producerId, short producerEpoch, int coordinatorEpoch, long timestamp)
    {
        using var record = new KafkaWriter(64);
        record.WriteInt8(0); // attributes
        record.WriteVarLong(0); // timestamp delta
        record.WriteVarInt(0); // offset delta
        record.WriteVarInt(4);
        record.WriteInt16(0); // key version
        record.WriteInt16((short)type);
        record.WriteVarInt(6);
        record.WriteInt16(0); // value version
        record.WriteInt32(coordinatorEpoch);
        record.WriteVarInt(0); // headers

        using var batch = new KafkaWriter(128);
        batch.WriteInt64(0); // base offset
        var lengthAt = batch.ReserveInt32();
        batch.WriteInt32(-1); // partition leader epoch
        batch.WriteInt8(2); // magic
        var crcAt = batch.ReserveInt32();
        batch.WriteInt16(Attributes);
        batch.WriteInt32(0); // last offset delta
        batch.WriteInt64(timestamp);
        batch.WriteInt64(timestamp);
        batch.WriteInt64(producerId);
        batch.WriteInt16(producerEpoch);
        batch.WriteInt32(-1); // base sequence: markers carry none
        batch.WriteInt32(1); // record count
        batch.WriteVarInt(record.Position);
        batch.WriteRaw(record.WrittenSpan);
        batch.PatchInt32(lengthAt, batch.Position - RecordBatchHeader.LogOverhead);
        var bytes = batch.WrittenSpan.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(crcAt), Crc32C.Compute(bytes.AsSpan(RecordBatchHeader.CrcStart)));
        return bytes;
    }

    /// <summary>The marker type of a stored control batch (its first record's key); null when the key is not a marker's
    /// (Kafka ignores control records of types it does not know).</summary>
    public static ControlRecordType? ReadType(ReadOnlyMemory<byte> batch)
    {
        if (batch.Length <= RecordBatchHeader.Size)
        {
            return null;
        }

        try
        {
            var reader = new KafkaReader(batch[RecordBatchHeader.Size..]);
            reader.ReadVarInt(); // record length
            reader.ReadInt8(); // attributes
            reader.ReadVarLong(); // timestamp delta
            reader.ReadVarInt(); // offset delta
            if (reader.ReadVarInt() < 4)
            {
                return null;
            }

            reader.ReadInt16(); // key version
            return reader.ReadInt16() switch
            {
                0 => ControlRecordType.Abort,
                1 => ControlRecordType.Commit,
                _ => null,
            };
        }
        catch (KafkaProtocolException)
        {
            return null;
        }
    }
}
