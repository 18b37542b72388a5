using System.Buffers.Binary;
using System.Text;

namespace InventoryOrleans.DevBroker.Protocol;

/// <summary>Reads Kafka protocol primitives (big-endian) from a request body; a read past the end throws <see cref="KafkaProtocolException"/>.</summary>
public sealed class KafkaReader(ReadOnlyMemory<byte> buffer)
{
    private readonly ReadOnlyMemory<byte> _buffer = buffer;
    private int _position;

    /// <summary>Bytes left to read.</summary>
    public int Remaining => _buffer.Length - _position;

    /// <summary>Offset of the next byte to read.</summary>
    public int Position => _position;

    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    public bool ReadBoolean() => Take(1)[0] != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    /// <summary>Zigzag-encoded signed varint (record fields).</summary>
    public int ReadVarInt()
    {
        var raw = ReadUnsignedVarInt();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    /// <summary>Zigzag-encoded signed varlong (record fields).</summary>
    public long ReadVarLong()
    {
        ulong raw = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Take(1)[0];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)(raw >> 1) ^ -(long)(raw & 1);
            }
        }

        throw new KafkaProtocolException("Varlong longer than 10 bytes.");
    }

    public uint ReadUnsignedVarInt()
    {
        uint raw = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(1)[0];
            raw |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return raw;
            }
        }

        throw new KafkaProtocolException("Varint longer than 5 bytes.");
    }

    public string ReadString() =>
        ReadNullableString() ?? throw new KafkaProtocolException("Null where a non-null string is required.");

    public string? ReadNullableString()
    {
        int length = ReadInt16();
        return length switch
        {
            -1 => null,
            < -1 => throw new KafkaProtocolException($"Invalid string length {length}."),
            _ => Encoding.UTF8.GetString(Take(length)),
        };
    }

    public ReadOnlyMemory<byte> ReadBytes() =>
        ReadNullableBytes() ?? throw new KafkaProtocolException("Null where non-null bytes are required.");

    public ReadOnlyMemory<byte>? ReadNullableBytes()
    {
        var length = ReadInt32();
        return length switch
        {
            -1 => null,
            < -1 => throw new KafkaProtocolException($"Invalid bytes length {length}."),
            _ => TakeMemory(length),
        };
    }

    /// <summary>An array's element count; −1 means a null array. Counts larger than the bytes left are rejected, so a lying length cannot make us allocate.</summary>
    public int ReadArrayLength()
    {
        var length = ReadInt32();
        if (length < -1 || length > Remaining)
        {
            throw new KafkaProtocolException($"Invalid array length {length} with {Remaining} bytes left.");
        }

        return length;
    }

    /// <summary>Like <see cref="ReadArrayLength"/> but a null array reads as empty.</summary>
    public int ReadArrayCount() => Math.Max(0, ReadArrayLength());

    /// <summary>Compact array (flexible versions): unsigned varint N+1, 0 = null → −1.</summary>
    public int ReadCompactArrayLength()
    {
        var raw = ReadUnsignedVarInt();
        if (raw > (uint)Remaining + 1)
        {
            throw new KafkaProtocolException($"Invalid compact array length {raw}.");
        }

        return (int)raw - 1;
    }

    public string? ReadCompactNullableString()
    {
        var raw = ReadUnsignedVarInt();
        if (raw == 0)
        {
            return null;
        }

        return Encoding.UTF8.GetString(Take(CheckedLength(raw - 1)));
    }

    public string ReadCompactString() =>
        ReadCompactNullableString() ?? throw new KafkaProtocolException("Null where a non-null compact string is required.");

    public ReadOnlyMemory<byte>? ReadCompactNullableBytes()
    {
        var raw = ReadUnsignedVarInt();
        return raw == 0 ? null : TakeMemory(CheckedLength(raw - 1));
    }

    /// <summary>Skips a tagged-field section (flexible versions).</summary>
    public void SkipTaggedFields()
    {
        var count = ReadUnsignedVarInt();
        for (var i = 0u; i < count; i++)
        {
            ReadUnsignedVarInt();
            var size = ReadUnsignedVarInt();
            Take(CheckedLength(size));
        }
    }

    /// <summary>A non-null string in the encoding of the request's version: compact in flexible versions.</summary>
    public string ReadString(bool compact) => compact ? ReadCompactString() : ReadString();

    /// <summary>A nullable string in the encoding of the request's version: compact in flexible versions.</summary>
    public string? ReadNullableString(bool compact) => compact ? ReadCompactNullableString() : ReadNullableString();

    /// <summary>An array's element count (−1 = null) in the encoding of the request's version: compact in flexible versions.</summary>
    public int ReadArrayLength(bool compact) => compact ? ReadCompactArrayLength() : ReadArrayLength();

    /// <summary>Like <see cref="ReadArrayLength(bool)"/> but a null array reads as empty.</summary>
    public int ReadArrayCount(bool compact) => Math.Max(0, ReadArrayLength(compact));

    /// <summary>Skips a struct's tagged fields when the version is flexible (no field the broker reads is tagged).</summary>
    public void SkipTaggedFields(bool flexible)
    {
        if (flexible)
        {
            SkipTaggedFields();
        }
    }

    /// <summary>The next <paramref name="length"/> bytes as a slice of the request (no copy).</summary>
    public ReadOnlyMemory<byte> ReadRaw(int length) => TakeMemory(length);

    private static int CheckedLength(uint length) =>
        length > int.MaxValue ? throw new KafkaProtocolException($"Length {length} too large.") : (int)length;

    private ReadOnlySpan<byte> Take(int count) => TakeMemory(count).Span;

    private ReadOnlyMemory<byte> TakeMemory(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new KafkaProtocolException($"Read of {count} bytes at {_position} past the end of a {_buffer.Length}-byte request.");
        }

        var slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }
}
