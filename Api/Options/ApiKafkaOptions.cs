namespace InventoryOrleans.Api.Options;

/// <summary>Where the API produces posted events (configuration section <c>Kafka</c>, shared with the silo's ingest).</summary>
public sealed class ApiKafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>Kafka bootstrap servers; required for a standalone Api host (the silo fills in its embedded broker).</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Optional client id prefix (the host's name).</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// How long a post waits for the broker's acknowledgement before it answers 503 (librdkafka's
    /// <c>message.timeout.ms</c>; 1000–300000, default 10000).
    /// </summary>
    public int ProduceTimeoutMs { get; set; } = 10_000;
}
