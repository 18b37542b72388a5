

namespace InventoryOrleans.Grains.Interfaces.Json;

/// <summary>
/// Either a valid event or the reason (<c>code: detail</c>) the message goes to the dead-letter topic, with the field
/// at fault (camelCase, as in the JSON; <c>body</c> when the message as a whole is wrong).
/// </summary>
public readonly record struct ParseResult(InventoryEvent? Event, string? Reason, string? Field = null)
{
    public bool IsValid => Event is not null;

    /// <summary>The reason without its code: what is wrong, for a person.</summary>
    public string? Detail => Reason is { } reason && reason.IndexOf(": ", StringComparison.Ordinal) is var at and >= 0 ? reason[(at + 2)..] : Reason;

    public static ParseResult Valid(InventoryEvent inventoryEvent) => new(inventoryEvent, null);

    public static ParseResult Invalid(string code, string detail, string field) => new(null, $"{code}: {detail}", field);
}
