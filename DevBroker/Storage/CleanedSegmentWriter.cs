using InventoryOrleans.DevBroker.Records;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>A cleaned segment being written, outside the partition's lock: to <c>&lt;base&gt;.cleaned</c> next to the
/// segments (made durable by <see cref="Complete"/> before it is swapped in), or to memory for an in-memory log.
/// Disposing one that was not swapped in removes it.</summary>
internal sealed class CleanedSegmentWriter : IDisposable
{
    public const string Extension = ".cleaned";

    private readonly List<BatchIndexEntry> _index = [];
    private readonly FileStream? _file;
    private readonly MemorySegmentStore? _memory;
    private bool _swappedIn;

    public CleanedSegmentWriter(long baseOffset, string? directory)
    {
        BaseOffset = baseOffset;
        if (directory is null)
        {
            _memory = new MemorySegmentStore();
        }
        else
        {
            Path = System.IO.Path.Combine(directory, $"{baseOffset:D20}{Extension}");
            _file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024);
        }
    }

    public long BaseOffset { get; }

    /// <summary>The file being written; null in memory.</summary>
    public string? Path { get; }

    public IReadOnlyList<BatchIndexEntry> Index => _index;

    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> batch)
    {
        var header = RecordBatchHeader.Read(batch);
        _index.Add(new BatchIndexEntry(header.BaseOffset, header.BaseOffset + header.LastOffsetDelta, Length, header.TotalSize, header.MaxTimestamp));
        if (_file is not null)
        {
            _file.Write(batch[..header.TotalSize]);
        }
        else
        {
            _memory!.Append(batch[..header.TotalSize]);
        }

        Length += header.TotalSize;
    }

    /// <summary>Writes everything to the disk (fsync) and closes the file, so the swap can only expose complete data.</summary>
    public void Complete()
    {
        if (_file is not null)
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
        }
    }

    /// <summary>The written segment in memory mode; null for a file (the log opens it once renamed).</summary>
    public MemorySegmentStore? MemoryStore => _memory;

    /// <summary>The log took it over: disposing no longer removes it.</summary>
    public void MarkSwappedIn() => _swappedIn = true;

    public void Dispose()
    {
        _file?.Dispose();
        if (!_swappedIn && Path is not null)
        {
            File.Delete(Path);
        }
    }
}
