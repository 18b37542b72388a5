using System.Diagnostics;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Api.Telemetry;

/// <summary>
/// The API's <c>post event</c> span (REST or gRPC, under the server span): validation and the produce of one event,
/// with the event's id, type and product; a refused event is an error naming the field.
/// </summary>
internal static class PostSpan
{
    public static Activity? Start() => ApiActivitySource.Source.StartActivity("post event");

    public static void Accepted(Activity? span, InventoryEvent inventoryEvent)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("inventory.event.id", inventoryEvent.EventId)
                .SetTag("inventory.event.type", inventoryEvent.Type.ToString())
                .SetTag("inventory.product.id", inventoryEvent.ProductId);
        }
    }

    public static void Refused(Activity? span, string field, string detail) =>
        span?.SetTag("error.type", "invalid_event").SetStatus(ActivityStatusCode.Error, $"{field}: {detail}");
}
