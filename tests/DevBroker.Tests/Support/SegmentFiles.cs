using System.Buffers.Binary;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>Writes a partition log's segment files by hand, as a restarted broker finds them (any batch gets in this
/// way, control batches too, whatever Produce accepts).</summary>
internal static class SegmentFiles
{
    /// <summary>One file per segment, offsets assigned in order; the last one is the active segment. Returns the
    /// segments' base offsets.</summary>
    public static List<long> Write(string directory, params byte[][][] segments)
    {
        Directory.CreateDirectory(directory);
        var bases = new List<long>();
        long offset = 0;
        foreach (var segment in segments)
        {
            bases.Add(offset);
            using var file = File.Create(Path.Combine(directory, LogSegment.FileName(offset)));
            foreach (var batch in segment)
            {
                file.Write(AtOffset(batch, offset));
                offset += RecordBatchHeader.Read(batch).LastOffsetDelta + 1;
            }
        }

        return bases;
    }

    /// <summary>A copy of the batch with its base offset set (the field is outside the CRC).</summary>
    public static byte[] AtOffset(byte[] batch, long offset)
    {
        var stored = batch.ToArray();
        BinaryPrimitives.WriteInt64BigEndian(stored, offset);
        return stored;
    }
}
