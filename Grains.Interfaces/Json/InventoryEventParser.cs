using System.Collections.Frozen;
using System.Text;
using System.Text.Json;


namespace InventoryOrleans.Grains.Interfaces.Json;

/// <summary>
/// Parses and validates one input message (CONTRACTS.md "Inventory event"): strict JSON, camelCase fields, unknown
/// fields ignored. Bad input is a value (<see cref="ParseResult.Reason"/>), never an exception: consumption goes on.
/// </summary>
public static class InventoryEventParser
{
    /// <summary>Largest accepted message value (1 MiB).</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    // The field of a failure that concerns the message as a whole.
    private const string Body = "body";

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    public static ParseResult Parse(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxMessageBytes)
        {
            return ParseResult.Invalid(DlqReasons.TooLarge, $"the message is {value.Length} bytes; at most {MaxMessageBytes} are accepted", Body);
        }

        RawFields fields;
        try
        {
            var error = ReadFields(value, out fields);
            if (error is not null)
            {
                return error.Value;
            }
        }
        catch (JsonException e)
        {
            return ParseResult.Invalid(DlqReasons.NotJson, $"the value is not valid JSON ({e.Message})", Body);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader checks a string's UTF-8 only when it is read, and reports it this way.
            return ParseResult.Invalid(DlqReasons.NotJson, $"the value is not valid UTF-8 JSON ({e.Message})", Body);
        }

        return Validate(key, fields);
    }

    private static ParseResult? ReadFields(ReadOnlySpan<byte> value, out RawFields fields)
    {
        fields = new RawFields();
        var reader = new Utf8JsonReader(value, ReaderOptions);
        if (!reader.Read())
        {
            return ParseResult.Invalid(DlqReasons.NotJson, "the value is empty", Body);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // Still read to the end so that "not JSON at all" is told apart from "JSON, but not an object".
            reader.Skip();
            while (reader.Read())
            {
            }

            return ParseResult.Invalid(DlqReasons.NotAnObject, $"the value is a JSON {reader.TokenType.ToString().ToLowerInvariant()}, not an object", Body);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = KnownName(ref reader);
            reader.Read();
            var error = name switch
            {
                "eventId" => ReadString(ref reader, name, out fields.EventId),
                "type" => ReadString(ref reader, name, out fields.Type),
                "productId" => ReadString(ref reader, name, out fields.ProductId),
                "quantity" => ReadQuantity(ref reader, ref fields),
                "occurredAt" => ReadString(ref reader, name, out fields.OccurredAt),
                "locationId" => ReadString(ref reader, name, out fields.LocationId),
                "reservationId" => ReadString(ref reader, name, out fields.ReservationId),
                "expiresAt" => ReadString(ref reader, name, out fields.ExpiresAt),
                "source" => ReadString(ref reader, name, out fields.Source),
                "correlationId" => ReadString(ref reader, name, out fields.CorrelationId),
                _ => SkipUnknown(ref reader),
            };
            if (error is not null)
            {
                // Finish reading so a syntax error later in the message still reports NotJson first.
                while (reader.Read())
                {
                }

                return error;
            }
        }

        // Trailing content after the object (e.g. "{} x") makes the reader throw, which reports NotJson.
        while (reader.Read())
        {
        }

        return null;
    }

    // The contract's field name the reader stands on, or null for any other: compared in place rather than
    // allocating a string per property of every message. Any other name is still decoded once, which throws on
    // invalid UTF-8 (reported NotJson) as the comparison alone would not.
    private static string? KnownName(ref Utf8JsonReader reader) =>
        MatchKnownName(ref reader) ?? DecodeUnknownName(ref reader);

    private static string? DecodeUnknownName(ref Utf8JsonReader reader)
    {
        _ = reader.GetString();
        return null;
    }

    private static string? MatchKnownName(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("eventId"u8) ? "eventId"
        : reader.ValueTextEquals("type"u8) ? "type"
        : reader.ValueTextEquals("productId"u8) ? "productId"
        : reader.ValueTextEquals("quantity"u8) ? "quantity"
        : reader.ValueTextEquals("occurredAt"u8) ? "occurredAt"
        : reader.ValueTextEquals("locationId"u8) ? "locationId"
        : reader.ValueTextEquals("reservationId"u8) ? "reservationId"
        : reader.ValueTextEquals("expiresAt"u8) ? "expiresAt"
        : reader.ValueTextEquals("source"u8) ? "source"
        : reader.ValueTextEquals("correlationId"u8) ? "correlationId"
        : null;

    private static ParseResult? SkipUnknown(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static ParseResult? ReadString(ref Utf8JsonReader reader, string name, out string? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                value = reader.GetString();
                return null;
            default:
                var kind = reader.TokenType;
                reader.Skip();
                return ParseResult.Invalid(DlqReasons.WrongType, $"'{name}' must be a string, not a JSON {Describe(kind)}", name);
        }
    }

    private static ParseResult? ReadQuantity(ref Utf8JsonReader reader, ref RawFields fields)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var quantity):
                fields.Quantity = quantity;
                return null;
            case JsonTokenType.Number:
                // A fraction, an exponent or beyond 64 bits (1e400, 9223372036854775808): not a count this contract knows.
                return ParseResult.Invalid(DlqReasons.WrongType, "'quantity' must be a whole number written without fraction or exponent, at most 1,000,000,000 either way", "quantity");
            default:
                var kind = reader.TokenType;
                reader.Skip();
                return ParseResult.Invalid(DlqReasons.WrongType, $"'quantity' must be an integer, not a JSON {Describe(kind)}", "quantity");
        }
    }

    private static string Describe(JsonTokenType kind) => kind switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static ParseResult Validate(ReadOnlySpan<byte> key, RawFields f)
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

        if (!Rfc3339.TryParse(f.OccurredAt, out var occurredAt))
        {
            return ParseResult.Invalid(DlqReasons.InvalidTimestamp, $"'occurredAt' '{Truncate(f.OccurredAt)}' is not an RFC 3339 timestamp such as 2026-01-31T12:00:00Z", "occurredAt");
        }

        DateTimeOffset? expiresAt = null;
        if (f.ExpiresAt is not null)
        {
            if (!Rfc3339.TryParse(f.ExpiresAt, out var parsed))
            {
                return ParseResult.Invalid(DlqReasons.InvalidTimestamp, $"'expiresAt' '{Truncate(f.ExpiresAt)}' is not an RFC 3339 timestamp such as 2026-01-31T12:00:00Z", "expiresAt");
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

    private struct RawFields
    {
        public string? EventId;
        public string? Type;
        public string? ProductId;
        public long? Quantity;
        public string? OccurredAt;
        public string? LocationId;
        public string? ReservationId;
        public string? ExpiresAt;
        public string? Source;
        public string? CorrelationId;
    }
}
