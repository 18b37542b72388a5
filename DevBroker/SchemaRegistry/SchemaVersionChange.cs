namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>A subject's version set (or, with a null <see cref="Value"/>, removed for good).</summary>
internal sealed record SchemaVersionChange(string Subject, int Version, SchemaVersion? Value) : RegistryChange;
