using System.Text.Json.Nodes;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Api.Rest;

/// <summary>
/// The body of <c>PUT /api/stock/{productId}/low-stock-threshold</c>: <c>{"threshold", "eventId"?, "occurredAt"?,
/// "correlationId"?}</c>. <see cref="ToEvent"/> turns it into a <c>LowStockThreshold</c> event (quantity = threshold),
/// validated and produced like any other, so the threshold is recorded on Kafka and survives replays.
/// </summary>
public sealed record LowStockThresholdRequest(long Threshold, string? EventId, string? OccurredAt, string? CorrelationId)
{
    private static readonly string[] Fields = ["eventId", "occurredAt", "correlationId"];

    /// <summary>Why <paramref name="body"/>'s threshold is unusable (missing, not a whole number, negative, over the quantity bound), or null.</summary>
    public static string? CheckThreshold(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body["threshold"] is JsonValue value && value.TryGetValue<long>(out var threshold) && threshold is >= 0 and <= InventoryEvent.MaxQuantity
            ? null
            : "'threshold' is required: a whole number from 0 to 1,000,000,000";
    }

    /// <summary>The event (checked with <see cref="CheckThreshold"/> first, so the parser never reports the threshold as <c>quantity</c>).</summary>
    public static JsonObject ToEvent(string productId, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var inventoryEvent = new JsonObject { ["type"] = "LowStockThreshold", ["productId"] = productId };
        if (body.TryGetPropertyValue("threshold", out var threshold))
        {
            inventoryEvent["quantity"] = threshold?.DeepClone();
        }

        foreach (var field in Fields)
        {
            if (body.TryGetPropertyValue(field, out var value))
            {
                inventoryEvent[field] = value?.DeepClone();
            }
        }

        return inventoryEvent;
    }
}
