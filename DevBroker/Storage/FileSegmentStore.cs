namespace InventoryOrleans.DevBroker.Storage;

/// <summary>A segment file. Writes go straight to the OS (no user-space buffer), so an acknowledged batch survives a
/// crash of this process; <see cref="Flush"/> with toDisk also survives a power loss.</summary>
internal sealed class FileSegmentStore : SegmentStore
{
    private readonly string _path;
    private readonly FileStream _file;
    private long _length;

    public FileSegmentStore(string path)
    {
        _path = path;
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.RandomAccess);
        _length = _file.Length;
    }

    public string Path => _path;

    public override long Length => _length;

    public override void Append(ReadOnlySpan<byte> data)
    {
        RandomAccess.Write(_file.SafeFileHandle, data, _length);
        _length += data.Length;
    }

    public override void Read(long position, Span<byte> destination)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var read = RandomAccess.Read(_file.SafeFileHandle, destination[done..], position + done);
            if (read == 0)
            {
                throw new IOException($"Segment {_path} ended at {position + done}, before the indexed batch end.");
            }

            done += read;
        }
    }

    public override void Flush(bool toDisk)
    {
        if (toDisk)
        {
            _file.Flush(flushToDisk: true);
        }
    }

    public override void Truncate(long length)
    {
        _file.SetLength(length);
        _length = length;
    }

    public override void Delete()
    {
        _file.Dispose();
        File.Delete(_path);
    }

    public override void Dispose() => _file.Dispose();
}
