using System.Text.Json;
using System.Text.Unicode;
using InventoryOrleans.Grains.Interfaces.Validation;


namespace InventoryOrleans.Grains.Interfaces.Json;

/// <summary>
/// Parses and validates one JSON input message (docs/CONTRACTS.md "Inventory event"): strict JSON, camelCase fields, unknown
/// fields ignored; the rules themselves are <see cref="InventoryEventValidator"/>'s, which the Avro form meets too. Bad input is a value (<see cref="ParseResult.Reason"/>), never an exception: consumption goes on.
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

        // JSON is UTF-8 (RFC 8259), the whole text: Utf8JsonReader checks only the strings it is asked to read, so a
        // bad byte inside an unknown field's value would pass, and go on to the outputs and the DLQ as it came.
        if (!Utf8.IsValid(value))
        {
            return ParseResult.Invalid(DlqReasons.NotJson, "the value is not valid UTF-8 (JSON must be UTF-8 throughout)", Body);
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

        return InventoryEventValidator.Validate(key, fields.ToEventFields());
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

        public readonly EventFields ToEventFields() => new(
            EventId,
            Type,
            ProductId,
            Quantity,
            OccurredAt is null ? null : EventTimestamp.FromText(OccurredAt),
            LocationId,
            ReservationId,
            ExpiresAt is null ? null : EventTimestamp.FromText(ExpiresAt),
            Source,
            CorrelationId);
    }
}
