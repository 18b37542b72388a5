using System.Buffers.Binary;

namespace InventoryOrleans.DevBroker.Records;

/// <summary>Reads the marker of a control batch.</summary>
public static class TransactionMarkers
{
    public static TransactionMarker Read(ReadOnlyMemory<byte> batch)
    {
        if (BatchRecordReader.TryRead(batch) is not [{ Key: { Length: >= 4 } key }, ..])
        {
            return TransactionMarker.Unknown;
        }

        return BinaryPrimitives.ReadInt16BigEndian(key.Span[2..]) switch
        {
            0 => TransactionMarker.Abort,
            1 => TransactionMarker.Commit,
            _ => TransactionMarker.Unknown,
        };
    }
}
