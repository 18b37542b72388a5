namespace InventoryOrleans.DevBroker.Storage;

/// <summary>Reads a segment's batches in order, a run of them per read (the cleaner reads whole logs).</summary>
internal static class SegmentBatches
{
    private const int ChunkBytes = 1024 * 1024;

    /// <summary>Each batch with its bytes; the bytes are only valid until the next one is taken.</summary>
    public static IEnumerable<(BatchIndexEntry Entry, ReadOnlyMemory<byte> Bytes)> Read(SegmentView view)
    {
        var batches = view.Batches;
        var buffer = batches.Count == 0 ? [] : new byte[ChunkBytes];
        var first = 0;
        while (first < batches.Count)
        {
            var start = batches[first].Position;
            var last = first;
            while (last + 1 < batches.Count && batches[last + 1].Position + batches[last + 1].Size - start <= ChunkBytes)
            {
                last++;
            }

            var length = (int)(batches[last].Position + batches[last].Size - start);
            var chunk = length <= buffer.Length ? buffer : new byte[length];
            view.Segment.Store.Read(start, chunk.AsSpan(0, length));
            for (var i = first; i <= last; i++)
            {
                yield return (batches[i], chunk.AsMemory((int)(batches[i].Position - start), batches[i].Size));
            }

            first = last + 1;
        }
    }
}
