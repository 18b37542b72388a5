using Avro;
using Avro.Generic;

namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>
/// The contract's records as Avro <see cref="GenericRecord"/>s of the shipped schemas, and back. Timestamps are
/// <c>timestamp-millis</c>: an Avro record keeps milliseconds where the JSON form writes ticks.
/// </summary>
public static class AvroRecords
{
    public static GenericRecord Event(InventoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var schema = AvroSchemas.InventoryEvent.Schema;
        var record = new GenericRecord(schema);
        record.Add("eventId", e.EventId);
        record.Add("type", new GenericEnum((EnumSchema)schema["type"].Schema, e.Type.ToString()));
        record.Add("productId", e.ProductId);
        record.Add("quantity", e.Quantity);
        record.Add("occurredAt", e.OccurredAt.UtcDateTime);
        record.Add("locationId", e.LocationId);
        record.Add("reservationId", e.ReservationId);
        record.Add("expiresAt", e.ExpiresAt?.UtcDateTime);
        record.Add("source", e.Source);
        record.Add("correlationId", e.CorrelationId);
        return record;
    }

    public static GenericRecord Outcome(EventOutcome o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var schema = AvroSchemas.EventOutcome.Schema;
        var record = new GenericRecord(schema);
        record.Add("eventId", o.EventId);
        record.Add("productId", o.ProductId);
        record.Add("status", new GenericEnum((EnumSchema)schema["status"].Schema, o.Status.ToString()));
        record.Add("reason", o.Reason);
        record.Add("version", o.Version);
        record.Add("correlationId", o.CorrelationId);

        // Every published outcome names its input message; one not read from Kafka has none to name.
        record.Add("topic", o.Position?.Topic ?? string.Empty);
        record.Add("partition", o.Position?.Partition ?? -1);
        record.Add("offset", o.Position?.Offset ?? -1L);
        return record;
    }

    public static GenericRecord NetStock(StockView s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var record = new GenericRecord(AvroSchemas.NetStock.Schema);
        record.Add("productId", s.ProductId);
        record.Add("onHand", s.OnHand);
        record.Add("reserved", s.Reserved);
        record.Add("inTransit", s.InTransit);
        record.Add("available", s.Available);
        record.Add("version", s.Version);
        record.Add("lastEventId", s.LastEventId);
        record.Add("updatedAt", s.UpdatedAt.UtcDateTime);
        record.Add("locations", s.Locations.OrderBy(l => l.Key, StringComparer.Ordinal).ToDictionary(l => l.Key, l => (object)l.Value, StringComparer.Ordinal));
        record.Add("lowStock", s.LowStock);
        record.Add("lowStockThreshold", s.LowStockThreshold);
        return record;
    }

    public static GenericRecord Alert(LowStockAlert a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var schema = AvroSchemas.LowStockAlert.Schema;
        var record = new GenericRecord(schema);
        record.Add("productId", a.ProductId);
        record.Add("available", a.Available);
        record.Add("threshold", a.Threshold);
        record.Add("state", new GenericEnum((EnumSchema)schema["state"].Schema, a.State == LowStockState.Low ? "Low" : "Recovered"));
        record.Add("version", a.Version);
        record.Add("at", a.At.UtcDateTime);
        return record;
    }

    /// <summary>An alert read back (the Api's low-stock board), from a record resolved into LowStockAlert.avsc.</summary>
    public static LowStockAlert ToAlert(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LowStockAlert(
            (string)record["productId"],
            (long)record["available"],
            (long)record["threshold"],
            ((GenericEnum)record["state"]).Value == "Low" ? LowStockState.Low : LowStockState.Recovered,
            (long)record["version"],
            Instant(record["at"]));
    }

    /// <summary>A net stock read back (the Api's live change tail), from a record resolved into NetStock.avsc.</summary>
    public static StockView ToNetStock(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var locations = (IDictionary<string, object>)record["locations"];
        return new StockView(
            (string)record["productId"],
            (long)record["onHand"],
            (long)record["reserved"],
            (long)record["inTransit"],
            (long)record["available"],
            (long)record["version"],
            record["lastEventId"] as string,
            Instant(record["updatedAt"]),
            locations.ToDictionary(l => l.Key, l => (long)l.Value, StringComparer.Ordinal),
            (bool)record["lowStock"],
            (long)record["lowStockThreshold"]);
    }

    /// <summary>An outcome read back (the rebuild's reader), from a record resolved into EventOutcome.avsc.</summary>
    public static EventOutcome ToOutcome(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new EventOutcome(
            (string)record["eventId"],
            (string)record["productId"],
            Enum.Parse<OutcomeStatus>(((GenericEnum)record["status"]).Value),
            record["reason"] as string,
            (long)record["version"],
            record["correlationId"] as string,
            new EventPosition((string)record["topic"], (int)record["partition"], (long)record["offset"]));
    }

    private static DateTimeOffset Instant(object value) => value switch
    {
        DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
        long millis => DateTimeOffset.FromUnixTimeMilliseconds(millis),
        _ => throw new AvroException($"a timestamp-millis field holds a {value?.GetType().Name ?? "null"}"),
    };
}
