namespace InventoryOrleans.DevBroker.Storage;

/// <summary>What cleaning passes did: segments rewritten (groups of sealed segments, each into one) and the records and
/// bytes in them before and after.</summary>
public readonly record struct CleaningResult(int SegmentsRewritten, long RecordsBefore, long RecordsAfter, long BytesBefore, long BytesAfter)
{
    public static CleaningResult None => default;

    public static CleaningResult operator +(CleaningResult a, CleaningResult b) => new(
        a.SegmentsRewritten + b.SegmentsRewritten,
        a.RecordsBefore + b.RecordsBefore,
        a.RecordsAfter + b.RecordsAfter,
        a.BytesBefore + b.BytesBefore,
        a.BytesAfter + b.BytesAfter);
}
