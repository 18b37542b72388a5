using System.Collections.Frozen;
using System.Text;
using InventoryOrleans.Grains.Interfaces.Json;

namespace InventoryOrleans.Grains.Interfaces.Validation;

/// <summary>
/// The contract's rules for one input event (docs/CONTRACTS.md "Inventory event"), whatever wire format carried it: JSON
/// (<see cref="InventoryEventParser"/>) and Avro meet the same checks in the same order and get the same dead-letter
/// reasons. Bad input is a value, never an exception.
/// </summary>
public static class InventoryEventValidator
{
    /// <summary>The event, or the dead-letter reason of the first rule it breaks (the order is part of the contract's behaviour).</summary>
    public static ParseResult Validate(ReadOnlySpan<byte> key, in EventFields f)
    {
        if (f.EventId is null)
        {
            return ParseResult.Invalid(DlqReasons.MissingField, "'eventId' is required", "eventId");
        }

        if (f.Type is null)
        {
            return ParseResult.Invalid(DlqReasons.MissingField, "'type' is required", "type");
        }

        if (f.ProductId is null)
        {
            return ParseResult.Invalid(DlqReasons.MissingField, "'productId' is required", "productId");
        }

        if (f.OccurredAt is null)
        {
            return ParseResult.Invalid(DlqReasons.MissingField, "'occurredAt' is required", "occurredAt");
        }

        if (!TryParseType(f.Type, out var type))
        {
            return ParseResult.Invalid(DlqReasons.UnknownType, $"'{Truncate(f.Type)}' is not one of {string.Join(", ", Enum.GetNames<InventoryEventType>())}", "type");
        }

        if (f.Quantity is null && type != InventoryEventType.ReservationRelease)
        {
            return ParseResult.Invalid(DlqReasons.MissingField, $"'quantity' is required for {type}", "quantity");
        }

        var idError = CheckId(f.EventId, "eventId") ?? CheckId(f.ProductId, "productId")
            ?? CheckOptionalId(f.LocationId, "locationId") ?? CheckOptionalId(f.ReservationId, "reservationId");
        if (idError is not null)
        {
            return idError.Value;
        }

        if (!f.OccurredAt.Value.TryResolve(out var occurredAt))
        {
            return ParseResult.Invalid(DlqReasons.InvalidTimestamp, $"'occurredAt' '{Truncate(f.OccurredAt.Value.Text ?? string.Empty)}' is not an RFC 3339 timestamp such as 2026-01-31T12:00:00Z", "occurredAt");
        }

        DateTimeOffset? expiresAt = null;
        if (f.ExpiresAt is { } expires)
        {
            if (!expires.TryResolve(out var parsed))
            {
                return ParseResult.Invalid(DlqReasons.InvalidTimestamp, $"'expiresAt' '{Truncate(expires.Text ?? string.Empty)}' is not an RFC 3339 timestamp such as 2026-01-31T12:00:00Z", "expiresAt");
            }

            expiresAt = parsed;
        }

        var quantity = type == InventoryEventType.ReservationRelease ? 0 : f.Quantity!.Value;
        if (type == InventoryEventType.Adjustment && quantity == 0)
        {
            return ParseResult.Invalid(DlqReasons.InvalidQuantity, "an Adjustment's 'quantity' must not be 0", "quantity");
        }

        if (type != InventoryEventType.Adjustment && quantity < 0)
        {
            return ParseResult.Invalid(DlqReasons.InvalidQuantity, $"a {type}'s 'quantity' must be 0 or more, not {quantity}", "quantity");
        }

        // Unbounded quantities let two sales of 2^63 − 1 wrap a count around; the grain checks counts too, this keeps
        // absurd values off the topics in the first place.
        if (quantity is > InventoryEvent.MaxQuantity or < -InventoryEvent.MaxQuantity)
        {
            return ParseResult.Invalid(
                DlqReasons.InvalidQuantity,
                type == InventoryEventType.Adjustment
                    ? $"an Adjustment's 'quantity' must be -1,000,000,000 to 1,000,000,000, not {quantity}"
                    : $"a {type}'s 'quantity' must be 0 to 1,000,000,000, not {quantity}",
                "quantity");
        }

        if (type is InventoryEventType.Reservation or InventoryEventType.ReservationRelease or InventoryEventType.Fulfillment
            && f.ReservationId is null)
        {
            return ParseResult.Invalid(DlqReasons.MissingReservationId, $"'reservationId' is required for {type}", "reservationId");
        }

        if (!KeyEquals(key, f.ProductId))
        {
            return ParseResult.Invalid(DlqReasons.KeyMismatch, $"the message key must equal the productId '{Truncate(f.ProductId)}'", "productId");
        }

        return ParseResult.Valid(new InventoryEvent(
            f.EventId,
            type,
            f.ProductId,
            quantity,
            occurredAt,
            f.LocationId ?? InventoryEvent.DefaultLocation,
            f.ReservationId,
            type == InventoryEventType.Reservation ? expiresAt : null,
            f.Source,
            f.CorrelationId));
    }

    private static bool TryParseType(string text, out InventoryEventType type)
    {
        // Enum.TryParse would also take numbers ("3") and ignore nothing useful; only the exact member names are valid.
        return TypesByName.TryGetValue(text, out type);
    }

    // Looked up once per event on the hot path: built once instead of formatting every member name each time.
    private static readonly FrozenDictionary<string, InventoryEventType> TypesByName =
        Enum.GetValues<InventoryEventType>().ToFrozenDictionary(t => t.ToString(), StringComparer.Ordinal);

    private static ParseResult? CheckId(string value, string name) =>
        value.Length is >= 1 and <= InventoryEvent.MaxIdLength
            ? null
            : ParseResult.Invalid(DlqReasons.InvalidId, $"'{name}' must be 1 to {InventoryEvent.MaxIdLength} characters, not {value.Length}", name);

    private static ParseResult? CheckOptionalId(string? value, string name) => value is null ? null : CheckId(value, name);

    private static bool KeyEquals(ReadOnlySpan<byte> key, string productId)
    {
        Span<byte> buffer = stackalloc byte[InventoryEvent.MaxIdLength * 4];
        var length = Encoding.UTF8.GetBytes(productId, buffer);
        return key.SequenceEqual(buffer[..length]);
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
