namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>How record values are written to the topics: the contract's JSON, or Confluent-framed Avro.</summary>
public enum WireFormat
{
    Json,
    Avro,
}
