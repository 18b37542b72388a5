namespace InventoryOrleans.DevBroker.Storage;

/// <summary>A segment held in memory (in-memory mode), in fixed-size chunks so that growing never copies the data
/// already stored and no single huge array lands on the large-object heap.</summary>
internal sealed class MemorySegmentStore : SegmentStore
{
    private const int ChunkBytes = 1024 * 1024;
    private readonly List<byte[]> _chunks = [];
    private long _length;

    public override long Length => _length;

    public override void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var offsetInChunk = (int)(_length % ChunkBytes);
            if (offsetInChunk == 0 && _chunks.Count * (long)ChunkBytes == _length)
            {
                _chunks.Add(new byte[ChunkBytes]);
            }

            var take = Math.Min(data.Length, ChunkBytes - offsetInChunk);
            data[..take].CopyTo(_chunks[(int)(_length / ChunkBytes)].AsSpan(offsetInChunk));
            data = data[take..];
            _length += take;
        }
    }

    public override void Read(long position, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var offsetInChunk = (int)(position % ChunkBytes);
            var take = Math.Min(destination.Length, ChunkBytes - offsetInChunk);
            _chunks[(int)(position / ChunkBytes)].AsSpan(offsetInChunk, take).CopyTo(destination);
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
        _chunks.RemoveRange(needed, _chunks.Count - needed);
    }

    public override void Delete()
    {
        _chunks.Clear();
        _length = 0;
    }

    public override void Dispose()
    {
    }
}
