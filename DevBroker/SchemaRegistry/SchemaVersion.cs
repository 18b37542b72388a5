namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>One version of a subject: its schema and the schema's global id; <see cref="Deleted"/> after a soft delete
/// (hidden unless asked for, still readable by id).</summary>
public sealed record SchemaVersion(string Subject, int Version, int Id, AvroSchemaDocument Schema, bool Deleted);
