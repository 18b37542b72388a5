namespace InventoryOrleans.Ingest.Tracing;

/// <summary>
/// Attribute names of OpenTelemetry's messaging semantic conventions (v1.27+ names: <c>messaging.operation.type</c>,
/// <c>messaging.destination.partition.id</c>, <c>messaging.kafka.offset</c>) and the project's own
/// (<c>inventory.*</c>), on the ingest's spans.
/// </summary>
internal static class MessagingTags
{
    public const string System = "messaging.system";
    public const string Kafka = "kafka";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string Destination = "messaging.destination.name";
    public const string Partition = "messaging.destination.partition.id";
    public const string Offset = "messaging.kafka.offset";
    public const string MessageKey = "messaging.kafka.message.key";
    public const string BatchCount = "messaging.batch.message_count";
    public const string ErrorType = "error.type";
    public const string EventId = "inventory.event.id";
    public const string ProductId = "inventory.product.id";
}
