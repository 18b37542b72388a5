using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Json;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Posting;

/// <summary>
/// Posts one inventory event: fills what the contract lets a caller leave out (<c>eventId</c>, <c>occurredAt</c>,
/// <c>source</c>), validates the exact bytes it will produce with the ingest's own parser — so whatever the API
/// accepts the ingest applies, and whatever the ingest would dead-letter the API refuses — and produces them to the
/// event's input topic keyed by productId: that JSON, or with <c>Api:ProduceFormat=avro</c> the validated event as
/// Confluent-framed Avro of InventoryEvent.avsc (the same rules hold for both forms).
/// </summary>
public sealed class EventSubmission(EventProducer producer, ProducedSchemas schemas, IOptions<ApiOptions> options, TimeProvider time)
{
    /// <summary>The source a posted event gets when it names none.</summary>
    public const string DefaultSource = "API";

    /// <summary>Validates and produces <paramref name="body"/> (the event as JSON; null when the body was not a JSON object).</summary>
    public async Task<SubmissionResult> SubmitAsync(JsonObject? body, CancellationToken cancellationToken)
    {
        using var span = PostSpan.Start();
        if (body is null)
        {
            PostSpan.Refused(span, "body", "not a JSON object");
            return SubmissionResult.Refused("body", "the body must be a JSON object holding one inventory event");
        }

        if (body["eventId"] is null)
        {
            body["eventId"] = NewEventId();
        }

        if (body["occurredAt"] is null)
        {
            body["occurredAt"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        }

        if (body["source"] is null)
        {
            body["source"] = DefaultSource;
        }

        var value = JsonSerializer.SerializeToUtf8Bytes(body);
        var key = body["productId"] is JsonValue productId && productId.TryGetValue<string>(out var id) ? Encoding.UTF8.GetBytes(id) : [];
        var parsed = InventoryEventParser.Parse(key, value);
        if (!parsed.IsValid)
        {
            PostSpan.Refused(span, parsed.Field ?? "body", parsed.Detail ?? "invalid event");
            return SubmissionResult.Refused(parsed.Field ?? "body", parsed.Detail ?? "invalid event");
        }

        var inventoryEvent = parsed.Event!;
        PostSpan.Accepted(span, inventoryEvent);
        var topic = TopicOf(inventoryEvent.Type);
        if (options.Value.Format == WireFormat.Avro)
        {
            value = AvroRecordCodec.Write(await schemas.InventoryEventIdAsync(topic), AvroRecords.Event(inventoryEvent));
        }

        var produced = await producer.ProduceAsync(topic, key, value, cancellationToken);
        return new SubmissionResult(
            new PostedEvent(inventoryEvent.EventId, inventoryEvent.ProductId, produced.Topic, produced.Partition.Value, produced.Offset.Value),
            null,
            null);
    }

    /// <summary>The input topic of an event type (docs/CONTRACTS.md "Topics").</summary>
    public static string TopicOf(InventoryEventType type) => type switch
    {
        InventoryEventType.Snapshot => Topics.Snapshots,
        InventoryEventType.Sale or InventoryEventType.Return => Topics.Sales,
        _ => Topics.Events,
    };

    /// <summary>A unique eventId for an event posted without one.</summary>
    public static string NewEventId() => "api-" + Guid.NewGuid().ToString("N");
}
