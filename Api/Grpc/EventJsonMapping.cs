using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Api.Grpc;

/// <summary>
/// A proto <see cref="InventoryEvent"/> as the JSON event of the contract (camelCase names, the type by its contract
/// name, RFC 3339 timestamps), so that gRPC posts go through the one validator REST posts go through. Empty optional
/// strings and unset timestamps are left out, so the contract's defaults apply (a new eventId, the server's clock,
/// location <c>default</c>, source <c>API</c>); an unspecified type is left out too, which the validator refuses.
/// </summary>
public static class EventJsonMapping
{
    /// <summary>The event as JSON, or the field that cannot be expressed (an out-of-range timestamp) and why.</summary>
    public static (JsonObject? Json, string? Field, string? Error) ToJson(InventoryEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = new JsonObject();
        AddIfSet(json, "eventId", message.EventId);
        if (TypeName(message.Type) is { } type)
        {
            json["type"] = type;
        }

        // Required, so always present: an empty productId is the validator's to refuse.
        json["productId"] = message.ProductId;
        json["quantity"] = message.Quantity;
        if (message.OccurredAt is { } occurredAt)
        {
            if (!TryFormat(occurredAt, out var text))
            {
                return (null, "occurredAt", "'occurredAt' is not a valid timestamp (seconds 0001-01-01 to 9999-12-31, nanos 0 to 999,999,999)");
            }

            json["occurredAt"] = text;
        }

        AddIfSet(json, "locationId", message.LocationId);
        AddIfSet(json, "reservationId", message.ReservationId);
        if (message.ExpiresAt is { } expiresAt)
        {
            if (!TryFormat(expiresAt, out var text))
            {
                return (null, "expiresAt", "'expiresAt' is not a valid timestamp (seconds 0001-01-01 to 9999-12-31, nanos 0 to 999,999,999)");
            }

            json["expiresAt"] = text;
        }

        AddIfSet(json, "source", message.Source);
        AddIfSet(json, "correlationId", message.CorrelationId);
        return (json, null, null);
    }

    /// <summary>The contract's name of an event type; null for unspecified. A value this build does not know keeps its number, which the validator refuses by name.</summary>
    public static string? TypeName(EventType type) => type switch
    {
        EventType.Unspecified => null,
        EventType.Snapshot => nameof(InventoryEventType.Snapshot),
        EventType.Receipt => nameof(InventoryEventType.Receipt),
        EventType.Sale => nameof(InventoryEventType.Sale),
        EventType.Return => nameof(InventoryEventType.Return),
        EventType.Adjustment => nameof(InventoryEventType.Adjustment),
        EventType.TransferOut => nameof(InventoryEventType.TransferOut),
        EventType.TransferIn => nameof(InventoryEventType.TransferIn),
        EventType.Reservation => nameof(InventoryEventType.Reservation),
        EventType.ReservationRelease => nameof(InventoryEventType.ReservationRelease),
        EventType.Fulfillment => nameof(InventoryEventType.Fulfillment),
        EventType.LowStockThreshold => nameof(InventoryEventType.LowStockThreshold),
        _ => ((int)type).ToString(CultureInfo.InvariantCulture),
    };

    private static void AddIfSet(JsonObject json, string name, string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[name] = value;
        }
    }

    private static bool TryFormat(Timestamp timestamp, out string text)
    {
        try
        {
            text = timestamp.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            return true;
        }
        catch (InvalidOperationException)
        {
            // Protobuf's own check: seconds outside years 1-9999 or nanos outside 0-999,999,999.
            text = "";
            return false;
        }
    }
}
