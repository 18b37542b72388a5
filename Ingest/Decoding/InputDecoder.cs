using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Json;

namespace InventoryOrleans.Ingest.Decoding;

/// <summary>
/// Decodes input messages, each in its own format: Confluent-framed Avro (first byte 0) or JSON. The writer schemas
/// of a batch's Avro messages are looked up first (<see cref="LookUpAsync"/>: the one step that can find the registry
/// down, which the pipeline treats as an outage); decoding itself is pure and answers every message with an event or a
/// dead-letter reason.
/// </summary>
public sealed class InputDecoder(RegistrySchemas registry)
{
    /// <summary>The writer schemas of the framed messages among <paramref name="messages"/>.</summary>
    public Task<SchemaLookup> LookUpAsync(IEnumerable<ConsumeResult<byte[], byte[]>> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ids = new HashSet<int>();
        foreach (var message in messages)
        {
            if (message.Message.Value is { } value && ConfluentFrame.TryReadSchemaId(value, out var id))
            {
                ids.Add(id);
            }
        }

        return ids.Count == 0 ? Task.FromResult(SchemaLookup.Empty) : registry.LookUpAsync(ids, cancellationToken);
    }

    public ParseResult Decode(ConsumeResult<byte[], byte[]> message, SchemaLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(message);
        var value = message.Message.Value ?? [];
        return ConfluentFrame.IsFramed(value)
            ? AvroEventDecoder.Decode(message.Message.Key, value, lookup, registry)
            : InventoryEventParser.Parse(message.Message.Key, value);
    }
}
