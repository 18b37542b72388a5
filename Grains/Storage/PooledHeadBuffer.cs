using System.Buffers;

namespace InventoryOrleans.Grains.Storage;

/// <summary>
/// A state head's JSON in an array rented from <see cref="ArrayPool{T}.Shared"/>: the head was the largest allocation of
/// a grain write (a new array the size of the head, 1–3 KB, per product per batch). Handed back only once Redis
/// answered the write it was sent in — the request was then written whole — and otherwise left to the collector, so
/// an array a timed-out request might still be sending is never reused.
/// </summary>
internal sealed class PooledHeadBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 4_096;

    private byte[] _array = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);

    public int WrittenCount => _written;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _array.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <summary>Gives the array back to the pool; the buffer is not used after this.</summary>
    public void Return()
    {
        var array = _array;
        _array = [];
        _written = 0;
        ArrayPool<byte>.Shared.Return(array);
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
        _array.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }
}
