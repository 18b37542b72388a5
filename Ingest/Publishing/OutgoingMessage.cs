using Confluent.Kafka;

namespace InventoryOrleans.Ingest.Publishing;

/// <summary>One record the pipeline writes: an outcome, a net-stock record or a dead letter.</summary>
public sealed record OutgoingMessage(string Topic, byte[] Key, byte[] Value, Headers? Headers = null);
