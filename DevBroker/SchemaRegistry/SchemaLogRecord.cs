namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>One record read back from <c>_schemas</c>: its offset, key and value (null: a tombstone).</summary>
internal sealed record SchemaLogRecord(long Offset, byte[] Key, byte[]? Value);
