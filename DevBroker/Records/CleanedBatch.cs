using System.Buffers.Binary;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Records;

/// <summary>Writes what the log cleaner keeps of a stored batch, as Kafka's cleaner does: the same base offset, producer,
/// sequence and lastOffsetDelta (so the batch still covers its offsets and the producer's last sequence survives), only
/// the kept records (each with its own offset delta and timestamp), the record count, timestamps and CRC-32C
/// recomputed, the same codec (none or gzip).</summary>
public static class CleanedBatch
{
    /// <summary>Attribute bit 6 (KIP-534): the batch's base timestamp is the time after which its tombstones and
    /// transaction marker may be removed.</summary>
    public const short DeleteHorizonFlag = 0x40;

    private const short LogAppendTimeFlag = 0x08;
    private const short TransactionalAndControlFlags = 0x30;

    public static bool HasDeleteHorizon(RecordBatchHeader header) => (header.Attributes & DeleteHorizonFlag) != 0;

    /// <summary>The batch with only <paramref name="kept"/> (at least one). With a <paramref name="deleteHorizonMs"/> the
    /// base timestamp holds it (attribute bit 6) and the records' timestamp deltas are taken from it, so every record
    /// keeps its timestamp.</summary>
    public static byte[] WithRecords(ReadOnlySpan<byte> original, IReadOnlyList<BatchRecord> kept, long? deleteHorizonMs)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentOutOfRangeException.ThrowIfZero(kept.Count);
        var header = RecordBatchHeader.Read(original);
        var baseTimestamp = deleteHorizonMs ?? kept[0].Timestamp;
        var maxTimestamp = (header.Attributes & LogAppendTimeFlag) != 0 ? header.MaxTimestamp : kept.Max(r => r.Timestamp);

        using var records = new KafkaWriter();
        using var record = new KafkaWriter(256);
        foreach (var keptRecord in kept)
        {
            record.Reset();
            record.WriteInt8(keptRecord.Attributes);
            record.WriteVarLong(keptRecord.Timestamp - baseTimestamp);
            record.WriteVarInt(keptRecord.OffsetDelta);
            record.WriteRaw(keptRecord.Tail.Span);
            records.WriteVarInt(record.Position);
            records.WriteRaw(record.WrittenSpan);
        }

        var section = BatchCompression.Compress(header.Attributes, records.WrittenSpan);
        var attributes = (short)((header.Attributes & ~DeleteHorizonFlag) | (deleteHorizonMs is null ? 0 : DeleteHorizonFlag));
        return Build(original, RecordBatchHeader.Size + section.Length, attributes, baseTimestamp, maxTimestamp, kept.Count, section);
    }

    /// <summary>A header without records, as Kafka keeps a producer's last batch once all its records are cleaned away:
    /// the offsets, producer and sequence stay, the codec goes, both timestamps are the batch's max timestamp.</summary>
    public static byte[] Empty(ReadOnlySpan<byte> original)
    {
        var header = RecordBatchHeader.Read(original);
        var attributes = (short)(header.Attributes & (LogAppendTimeFlag | TransactionalAndControlFlags));
        return Build(original, RecordBatchHeader.Size, attributes, header.MaxTimestamp, header.MaxTimestamp, 0, []);
    }

    private static byte[] Build(ReadOnlySpan<byte> original, int size, short attributes, long baseTimestamp, long maxTimestamp, int count, ReadOnlySpan<byte> section)
    {
        var batch = new byte[size];
        var span = batch.AsSpan();
        original[..RecordBatchHeader.Size].CopyTo(span); // base offset, leader epoch, magic, lastOffsetDelta, producer, sequence
        BinaryPrimitives.WriteInt32BigEndian(span[8..], size - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt16BigEndian(span[21..], attributes);
        BinaryPrimitives.WriteInt64BigEndian(span[27..], baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[35..], maxTimestamp);
        BinaryPrimitives.WriteInt32BigEndian(span[57..], count);
        section.CopyTo(span[RecordBatchHeader.Size..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[17..], Crc32C.Compute(span[RecordBatchHeader.CrcStart..]));
        return batch;
    }
}
