using Avro;
using Avro.Generic;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;

namespace InventoryOrleans.TestSupport.Avro;

/// <summary>
/// Inventory events as Avro records of the contract's schema or of a producer's own evolution of it (extra fields
/// are filled from <c>extra</c> or left to their default), written by Confluent's <c>AvroSerializer</c>.
/// </summary>
public static class AvroEvents
{
    /// <summary>The contract's InventoryEvent.avsc as a producer would read it from shared/api/avro.</summary>
    public static RecordSchema V1 => AvroSchemas.InventoryEvent.Schema;

    /// <summary>A producer's v2: one more optional field (<c>batchNumber</c>) and one more <c>type</c> symbol (<c>Recount</c>), backward compatible.</summary>
    public static RecordSchema V2 { get; } = (RecordSchema)Schema.Parse(AvroSchemas.InventoryEvent.Text
        .Replace("\"LowStockThreshold\", \"Unknown\"]", "\"LowStockThreshold\", \"Unknown\", \"Recount\"]", StringComparison.Ordinal)
        .Replace("{\"name\": \"correlationId\", \"type\": [\"null\", \"string\"], \"default\": null}", "{\"name\": \"correlationId\", \"type\": [\"null\", \"string\"], \"default\": null},\n    {\"name\": \"batchNumber\", \"type\": [\"null\", \"string\"], \"default\": null}", StringComparison.Ordinal));

    public static GenericRecord Record(InventoryEvent e, RecordSchema? schema = null, string? typeSymbol = null, IReadOnlyDictionary<string, object?>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        schema ??= V1;
        var record = new GenericRecord(schema);
        record.Add("eventId", e.EventId);
        record.Add("type", new GenericEnum((EnumSchema)schema["type"].Schema, typeSymbol ?? e.Type.ToString()));
        record.Add("productId", e.ProductId);
        record.Add("quantity", e.Quantity);
        record.Add("occurredAt", e.OccurredAt.UtcDateTime);
        record.Add("locationId", e.LocationId);
        record.Add("reservationId", e.ReservationId);
        record.Add("expiresAt", e.ExpiresAt?.UtcDateTime);
        record.Add("source", e.Source);
        record.Add("correlationId", e.CorrelationId);
        foreach (var field in schema.Fields.Where(f => !record.TryGetValue(f.Name, out _)))
        {
            record.Add(field.Name, extra?.GetValueOrDefault(field.Name));
        }

        return record;
    }
}
