using InventoryOrleans.DevBroker.Records;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>Each key's highest offset in the stable part of a partition's log (below the last stable offset, aborted
/// transactions and control batches left out): the record the cleaner keeps for that key.</summary>
internal sealed class KeyOffsetMap
{
    private readonly Dictionary<byte[], long> _offsets = new(KeyComparer.Instance);

    public int Count => _offsets.Count;

    /// <summary>Batches whose records could not be read (snappy, lz4, zstd, or unparsable): their keys are not known.</summary>
    public int UnreadableBatches { get; private set; }

    public static KeyOffsetMap Build(CleanerSnapshot snapshot, LogTransactions transactions)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(transactions);
        var map = new KeyOffsetMap();
        var lookup = map._offsets.GetAlternateLookup<ReadOnlySpan<byte>>();
        foreach (var segment in snapshot.Segments)
        {
            foreach (var (entry, bytes) in SegmentBatches.Read(segment))
            {
                if (entry.LastOffset >= transactions.StableOffset)
                {
                    return map; // offsets only grow: everything further is beyond the stable offset too
                }

                var header = RecordBatchHeader.Read(bytes.Span);
                if (header.IsControl || (header.IsTransactional && transactions.IsAborted(header.BaseOffset)))
                {
                    continue;
                }

                var records = BatchRecordReader.TryRead(bytes);
                if (records is null)
                {
                    map.UnreadableBatches++;
                    continue;
                }

                foreach (var record in records)
                {
                    if (record.Key is { } key)
                    {
                        lookup[key.Span] = header.BaseOffset + record.OffsetDelta;
                    }
                }
            }
        }

        return map;
    }

    /// <summary>The key's highest offset, or null when the key was not seen.</summary>
    public long? Latest(ReadOnlySpan<byte> key) =>
        _offsets.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out var offset) ? offset : null;

    /// <summary>Compares keys by content, and looks them up by span without copying.</summary>
    private sealed class KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
