namespace InventoryOrleans.DevBroker.Storage;

/// <summary>A segment held in memory (in-memory mode), in fixed-size chunks so that growing never copies the data
/// already stored and no single huge array lands on the large-object heap. Bytes below a length seen under the
/// partition's lock can be read without it while appends go on (the log cleaner does): the chunk table is replaced,
/// never changed in place, when it grows.</summary>
internal sealed class MemorySegmentStore : SegmentStore
{
    private const int ChunkBytes = 1024 * 1024;
    private byte[][] _chunks = [];
    private int _chunkCount;
    private long _length;

    public override long Length => _length;

    public override void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var offsetInChunk = (int)(_length % ChunkBytes);
            if (offsetInChunk == 0 && _chunkCount * (long)ChunkBytes == _length)
            {
                AddChunk();
            }

            var take = Math.Min(data.Length, ChunkBytes - offsetInChunk);
            data[..take].CopyTo(_chunks[(int)(_length / ChunkBytes)].AsSpan(offsetInChunk));
            data = data[take..];
            _length += take;
        }
    }

    public override void Read(long position, Span<byte> destination)
    {
        var chunks = Volatile.Read(ref _chunks);
        while (!destination.IsEmpty)
        {
            var offsetInChunk = (int)(position % ChunkBytes);
            var take = Math.Min(destination.Length, ChunkBytes - offsetInChunk);
            chunks[(int)(position / ChunkBytes)].AsSpan(offsetInChunk, take).CopyTo(destination);
            destination = destination[take..];
            position += take;
        }
    }

    public override void Flush(bool toDisk)
    {
    }

    public override void Truncate(long length)
    {
        _length = Math.Min(_length, length);
        var needed = (int)((_length + ChunkBytes - 1) / ChunkBytes);
        Array.Clear(_chunks, needed, _chunkCount - needed);
        _chunkCount = needed;
    }

    public override void Delete()
    {
        _chunks = [];
        _chunkCount = 0;
        _length = 0;
    }

    public override void Dispose()
    {
    }

    private void AddChunk()
    {
        if (_chunkCount == _chunks.Length)
        {
            var grown = new byte[Math.Max(4, _chunks.Length * 2)][];
            Array.Copy(_chunks, grown, _chunkCount);
            grown[_chunkCount] = new byte[ChunkBytes];
            Volatile.Write(ref _chunks, grown);
        }
        else
        {
            _chunks[_chunkCount] = new byte[ChunkBytes];
        }

        _chunkCount++;
    }
}
