using System.Text.Json.Nodes;

namespace InventoryOrleans.Api.Rest;

/// <summary>
/// The body of <c>POST /api/sales</c>: shorthand for a <c>Sale</c> event. <see cref="ToEvent"/> turns the raw JSON into
/// that event (other fields ignored, as on the topics), so it is validated and produced exactly like one.
/// </summary>
public sealed record SaleRequest(string ProductId, long Quantity, string? LocationId, string? EventId, string? OccurredAt, string? CorrelationId)
{
    private static readonly string[] Fields = ["eventId", "productId", "quantity", "locationId", "occurredAt", "correlationId"];

    /// <summary>The <c>Sale</c> event a sale body stands for (values copied as they are, so a wrong type is reported by its field).</summary>
    public static JsonObject ToEvent(JsonObject sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        var inventoryEvent = new JsonObject { ["type"] = "Sale" };
        foreach (var field in Fields)
        {
            if (sale.TryGetPropertyValue(field, out var value))
            {
                inventoryEvent[field] = value?.DeepClone();
            }
        }

        return inventoryEvent;
    }
}
