namespace InventoryOrleans.DevBroker.Records;

/// <summary>One record of a batch as stored: its absolute timestamp, its offset delta, its key and value (a null value
/// is a tombstone). <see cref="Tail"/> is the record from its key length on (key, value, headers), copied as is when
/// the record is written into a cleaned batch.</summary>
public readonly record struct BatchRecord(
    sbyte Attributes,
    long Timestamp,
    int OffsetDelta,
    ReadOnlyMemory<byte>? Key,
    ReadOnlyMemory<byte>? Value,
    ReadOnlyMemory<byte> Tail)
{
    public bool HasValue => Value is not null;
}
