namespace InventoryOrleans.DevBroker.Storage;

/// <summary>What the cleaner does with one stored batch: copy it unchanged, drop it, or write <see cref="Rewritten"/>
/// in its place; with the record counts before and after.</summary>
internal readonly record struct BatchOutcome(BatchFate Fate, byte[]? Rewritten, int RecordsBefore, int RecordsAfter)
{
    public static BatchOutcome Copy(int records) => new(BatchFate.Copy, null, records, records);
}

/// <summary>See <see cref="BatchOutcome"/>.</summary>
internal enum BatchFate
{
    Copy,
    Drop,
    Rewrite,
}
