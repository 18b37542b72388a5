using Confluent.Kafka;

namespace InventoryOrleans.Ingest.Publishing;

/// <summary>What a publish left undelivered (empty when everything is durable) and the last delivery error.</summary>
public sealed record PublishResult(IReadOnlyList<OutgoingMessage> Failed, Error? LastError)
{
    public static PublishResult Success { get; } = new([], null);

    public bool Succeeded => Failed.Count == 0;
}
