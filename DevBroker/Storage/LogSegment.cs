namespace InventoryOrleans.DevBroker.Storage;

/// <summary>A run of consecutive batches in one store, with the in-memory index that makes Fetch by offset a binary search.</summary>
internal sealed class LogSegment(long baseOffset, SegmentStore store)
{
    private readonly List<BatchIndexEntry> _index = [];

    public long BaseOffset { get; } = baseOffset;

    public SegmentStore Store { get; } = store;

    public IReadOnlyList<BatchIndexEntry> Index => _index;

    /// <summary>The offset after the last batch (the segment's base offset while empty).</summary>
    public long NextOffset => _index.Count == 0 ? BaseOffset : _index[^1].LastOffset + 1;

    public long MaxTimestamp { get; private set; } = -1;

    public long SizeBytes => Store.Length;

    public void AddToIndex(BatchIndexEntry entry)
    {
        _index.Add(entry);
        MaxTimestamp = Math.Max(MaxTimestamp, entry.MaxTimestamp);
    }

    /// <summary>Index of the batch containing <paramref name="offset"/> (or the first one after it); −1 when past the end.</summary>
    public int FindBatch(long offset)
    {
        int low = 0, high = _index.Count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (_index[mid].LastOffset >= offset)
            {
                found = mid;
                high = mid - 1;
            }
            else
            {
                low = mid + 1;
            }
        }

        return found;
    }

    public static string FileName(long baseOffset) => $"{baseOffset:D20}.log";
}
