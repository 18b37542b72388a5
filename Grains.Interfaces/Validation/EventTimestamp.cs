using InventoryOrleans.Grains.Interfaces.Json;

namespace InventoryOrleans.Grains.Interfaces.Validation;

/// <summary>
/// A timestamp field as the wire carried it: RFC 3339 text (JSON), checked when the event is validated, or a value
/// decoded already (Avro's <c>timestamp-millis</c>). Kept apart so both forms meet the same rules in the same order.
/// </summary>
public readonly record struct EventTimestamp
{
    private EventTimestamp(string? text, DateTimeOffset? value)
    {
        Text = text;
        Value = value;
    }

    /// <summary>The text as written (JSON), or null for a decoded value.</summary>
    public string? Text { get; }

    /// <summary>The decoded value (Avro), or null for text.</summary>
    public DateTimeOffset? Value { get; }

    public static EventTimestamp FromText(string text) => new(text, null);

    public static EventTimestamp FromValue(DateTimeOffset value) => new(null, value);

    /// <summary>The instant, or false for text that is not RFC 3339.</summary>
    public bool TryResolve(out DateTimeOffset value)
    {
        if (Value is { } decoded)
        {
            value = decoded;
            return true;
        }

        return Rfc3339.TryParse(Text ?? string.Empty, out value);
    }
}
