using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace InventoryOrleans.DevBroker.Protocol;

/// <summary>A pooled, growable big-endian writer for Kafka responses, with length-prefix patching.</summary>
public sealed class KafkaWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _position;

    public KafkaWriter(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>Bytes written so far.</summary>
    public int Position => _position;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    public void Reset()
    {
        // A huge Fetch response should not pin a huge array to the connection forever; typical ones keep theirs.
        if (_buffer.Length > 16 * 1024 * 1024)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(4096);
        }

        _position = 0;
    }

    /// <summary>Drops everything written after <paramref name="position"/> (a long poll retries its answer).</summary>
    public void Truncate(int position)
    {
        if (position < 0 || position > _position)
        {
            throw new ArgumentOutOfRangeException(nameof(position));
        }

        _position = position;
    }

    public void WriteInt8(sbyte value) => GetSpanAndAdvance(1)[0] = (byte)value;

    public void WriteBoolean(bool value) => GetSpanAndAdvance(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(GetSpanAndAdvance(2), value);

    public void WriteErrorCode(ErrorCode value) => WriteInt16((short)value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(GetSpanAndAdvance(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(GetSpanAndAdvance(8), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(GetSpanAndAdvance(4), value);

    public void WriteUnsignedVarInt(uint value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
    }

    public void WriteVarInt(int value) => WriteUnsignedVarInt((uint)((value << 1) ^ (value >> 31)));

    public void WriteVarLong(long value)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        while (raw >= 0x80)
        {
            WriteByte((byte)(raw | 0x80));
            raw >>= 7;
        }

        WriteByte((byte)raw);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt16(checked((short)length));
        Encoding.UTF8.GetBytes(value, GetSpanAndAdvance(length));
    }

    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteInt16(-1);
            return;
        }

        WriteString(value);
    }

    public void WriteCompactNullableString(string? value)
    {
        if (value is null)
        {
            WriteUnsignedVarInt(0);
            return;
        }

        WriteCompactString(value);
    }

    public void WriteCompactString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteUnsignedVarInt((uint)length + 1);
        Encoding.UTF8.GetBytes(value, GetSpanAndAdvance(length));
    }

    /// <summary>A non-null string in the encoding of the response's version: compact in flexible versions.</summary>
    public void WriteString(string value, bool compact)
    {
        if (compact)
        {
            WriteCompactString(value);
        }
        else
        {
            WriteString(value);
        }
    }

    /// <summary>A nullable string in the encoding of the response's version: compact in flexible versions.</summary>
    public void WriteNullableString(string? value, bool compact)
    {
        if (compact)
        {
            WriteCompactNullableString(value);
        }
        else
        {
            WriteNullableString(value);
        }
    }

    /// <summary>An array's element count in the encoding of the response's version: compact in flexible versions.</summary>
    public void WriteArrayLength(int count, bool compact)
    {
        if (compact)
        {
            WriteCompactArrayLength(count);
        }
        else
        {
            WriteArrayLength(count);
        }
    }

    /// <summary>Ends a struct with an empty tagged-field section when the version is flexible.</summary>
    public void WriteTaggedFields(bool flexible)
    {
        if (flexible)
        {
            WriteEmptyTaggedFields();
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        WriteRaw(value);
    }

    public void WriteNullableBytes(ReadOnlyMemory<byte>? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteBytes(value.Value.Span);
    }

    public void WriteArrayLength(int count) => WriteInt32(count);

    public void WriteCompactArrayLength(int count) => WriteUnsignedVarInt((uint)(count + 1));

    public void WriteEmptyTaggedFields() => WriteByte(0);

    public void WriteRaw(ReadOnlySpan<byte> value) => value.CopyTo(GetSpanAndAdvance(value.Length));

    /// <summary>Reserves four bytes for a length or count written later with <see cref="PatchInt32"/>.</summary>
    public int ReserveInt32()
    {
        var at = _position;
        GetSpanAndAdvance(4);
        return at;
    }

    public void PatchInt32(int at, int value) => BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(at, 4), value);

    public void PatchInt16(int at, short value) => BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(at, 2), value);

    public void PatchInt64(int at, long value) => BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(at, 8), value);

    /// <summary>A writable view of bytes already written (e.g. to rewrite a record batch's base offset in place).</summary>
    public Span<byte> WrittenSlice(int start, int length) => _buffer.AsSpan(start, length);

    public void Advance(int count)
    {
        if (count < 0 || _position + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _position += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_position);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_position);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteByte(byte value) => GetSpanAndAdvance(1)[0] = value;

    private Span<byte> GetSpanAndAdvance(int count)
    {
        Ensure(count);
        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private void Ensure(int count)
    {
        if (_buffer.Length - _position >= count)
        {
            return;
        }

        var size = Math.Max(_buffer.Length * 2, _position + count);
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _position).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
