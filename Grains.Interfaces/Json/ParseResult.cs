

namespace InventoryOrleans.Grains.Interfaces.Json;

/// <summary>Either a valid event or the reason (<c>code: detail</c>) the message goes to the dead-letter topic.</summary>
public readonly record struct ParseResult(InventoryEvent? Event, string? Reason)
{
    public bool IsValid => Event is not null;

    public static ParseResult Valid(InventoryEvent inventoryEvent) => new(inventoryEvent, null);

    public static ParseResult Invalid(string code, string detail) => new(null, $"{code}: {detail}");
}
