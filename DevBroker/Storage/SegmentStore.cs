namespace InventoryOrleans.DevBroker.Storage;

/// <summary>The bytes of one log segment: appended at the end, read at any position (a file, or memory in in-memory mode).</summary>
internal abstract class SegmentStore : IDisposable
{
    public abstract long Length { get; }

    public abstract void Append(ReadOnlySpan<byte> data);

    /// <summary>Reads exactly <c>destination.Length</c> bytes at <paramref name="position"/>.</summary>
    public abstract void Read(long position, Span<byte> destination);

    /// <summary>Pushes appended bytes to the OS, and to the disk when <paramref name="toDisk"/>.</summary>
    public abstract void Flush(bool toDisk);

    /// <summary>Cuts a torn tail found during recovery.</summary>
    public abstract void Truncate(long length);

    /// <summary>Closes and removes the segment (retention, topic deletion).</summary>
    public abstract void Delete();

    public abstract void Dispose();
}
