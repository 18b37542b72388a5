using Avro;

namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>
/// The contract's Avro schemas (shared/api/avro, copied unchanged into Avro/Schemas and embedded): the reader schema of
/// input events and the writer schemas of the outputs.
/// </summary>
public static class AvroSchemas
{
    public static AvroContract InventoryEvent { get; } = Load("InventoryEvent");

    public static AvroContract NetStock { get; } = Load("NetStock");

    public static AvroContract EventOutcome { get; } = Load("EventOutcome");

    public static AvroContract LowStockAlert { get; } = Load("LowStockAlert");

    public static IReadOnlyList<AvroContract> All { get; } = [InventoryEvent, NetStock, EventOutcome, LowStockAlert];

    /// <summary>The subject a topic's values are registered under (Confluent's TopicNameStrategy).</summary>
    public static string ValueSubject(string topic) => $"{topic}-value";

    private static AvroContract Load(string name)
    {
        using var stream = typeof(AvroSchemas).Assembly.GetManifestResourceStream($"avro/{name}.avsc")
            ?? throw new InvalidOperationException($"the embedded schema avro/{name}.avsc is missing from the build");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return new AvroContract(name, text, (RecordSchema)Schema.Parse(text));
    }
}
