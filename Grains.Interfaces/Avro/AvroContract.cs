using Avro;

namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>One of the contract's Avro schemas: its text as shipped (what is registered) and its parsed form.</summary>
public sealed record AvroContract(string Name, string Text, RecordSchema Schema);
