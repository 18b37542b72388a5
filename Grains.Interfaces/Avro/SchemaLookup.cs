namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>The writer schemas of one batch of messages, or why the registry could not be asked (it is down).</summary>
public sealed record SchemaLookup(IReadOnlyDictionary<int, WriterSchema> Schemas, string? Outage = null)
{
    public static SchemaLookup Empty { get; } = new(new Dictionary<int, WriterSchema>());
}
