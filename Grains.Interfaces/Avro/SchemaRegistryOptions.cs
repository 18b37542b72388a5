namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>
/// The Confluent-compatible schema registry of the Avro wire format (configuration section <c>SchemaRegistry</c>);
/// validated at start. Unset in the embedded default: the DevBroker's registry. Unset with an external Kafka: Avro is
/// off (framed input is dead-lettered <c>UnknownSchema</c>, Avro output and production refuse to start).
/// </summary>
public sealed class SchemaRegistryOptions
{
    public const string SectionName = "SchemaRegistry";

    /// <summary>Registry URL(s), comma-separated (<c>http://host:8081</c>).</summary>
    public string? Url { get; set; }

    /// <summary>
    /// How long one registry request may take before it counts as the registry being down
    /// (<c>SchemaRegistry__RequestTimeout=00:00:05</c>; the older <c>SchemaRegistry__RequestTimeoutMs</c> is accepted).
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
