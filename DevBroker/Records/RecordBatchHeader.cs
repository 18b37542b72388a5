using System.Buffers.Binary;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Records;

/// <summary>The fixed 61-byte header of a record batch v2 (magic 2), the only format the broker stores.</summary>
public readonly record struct RecordBatchHeader(
    long BaseOffset,
    int BatchLength,
    sbyte Magic,
    uint Crc,
    short Attributes,
    int LastOffsetDelta,
    long BaseTimestamp,
    long MaxTimestamp,
    long ProducerId,
    short ProducerEpoch,
    int BaseSequence,
    int RecordCount)
{
    /// <summary>Bytes before the records.</summary>
    public const int Size = 61;

    /// <summary>Bytes of the batchLength field's prefix (baseOffset + batchLength): the total size is this + BatchLength.</summary>
    public const int LogOverhead = 12;

    /// <summary>The CRC covers the bytes from the attributes to the end.</summary>
    public const int CrcStart = 21;

    public int TotalSize => LogOverhead + BatchLength;

    public bool IsTransactional => (Attributes & 0x10) != 0;

    public bool IsControl => (Attributes & 0x20) != 0;

    public bool HasProducerId => ProducerId >= 0;

    public int LastSequence => BaseSequence < 0 ? -1 : (int)(((long)BaseSequence + LastOffsetDelta) % ((long)int.MaxValue + 1));

    public static RecordBatchHeader Read(ReadOnlySpan<byte> batch) => new(
        BinaryPrimitives.ReadInt64BigEndian(batch),
        BinaryPrimitives.ReadInt32BigEndian(batch[8..]),
        (sbyte)batch[16],
        BinaryPrimitives.ReadUInt32BigEndian(batch[17..]),
        BinaryPrimitives.ReadInt16BigEndian(batch[21..]),
        BinaryPrimitives.ReadInt32BigEndian(batch[23..]),
        BinaryPrimitives.ReadInt64BigEndian(batch[27..]),
        BinaryPrimitives.ReadInt64BigEndian(batch[35..]),
        BinaryPrimitives.ReadInt64BigEndian(batch[43..]),
        BinaryPrimitives.ReadInt16BigEndian(batch[51..]),
        BinaryPrimitives.ReadInt32BigEndian(batch[53..]),
        BinaryPrimitives.ReadInt32BigEndian(batch[57..]));

    /// <summary>Checks one batch at the start of <paramref name="data"/>: room for the header and the stated length,
    /// magic 2, lastOffsetDelta = count − 1, and the CRC-32C. Returns the error to answer, or None.</summary>
    public static ErrorCode Validate(ReadOnlySpan<byte> data, out RecordBatchHeader header) => Check(data, out header, cleaned: false);

    /// <summary>Like <see cref="Validate"/> for a batch read back from the log, which the log cleaner may have rewritten:
    /// fewer records than its offsets span (lastOffsetDelta ≥ count − 1), or none at all.</summary>
    public static ErrorCode ValidateStored(ReadOnlySpan<byte> data, out RecordBatchHeader header) => Check(data, out header, cleaned: true);

    private static ErrorCode Check(ReadOnlySpan<byte> data, out RecordBatchHeader header, bool cleaned)
    {
        header = default;
        if (data.Length < Size)
        {
            return ErrorCode.CorruptMessage;
        }

        header = Read(data);
        if (header.Magic != 2)
        {
            return ErrorCode.UnsupportedForMessageFormat;
        }

        if (header.BatchLength < Size - LogOverhead || (long)LogOverhead + header.BatchLength > data.Length)
        {
            return ErrorCode.CorruptMessage;
        }

        var countFits = cleaned
            ? header.RecordCount >= 0 && header.LastOffsetDelta >= Math.Max(0, header.RecordCount - 1)
            : header.RecordCount > 0 && header.LastOffsetDelta == header.RecordCount - 1;
        if (!countFits)
        {
            return ErrorCode.CorruptMessage;
        }

        var crc = Crc32C.Compute(data[CrcStart..header.TotalSize]);
        return crc == header.Crc ? ErrorCode.None : ErrorCode.CorruptMessage;
    }
}
