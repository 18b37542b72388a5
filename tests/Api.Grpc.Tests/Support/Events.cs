using Google.Protobuf.WellKnownTypes;

namespace InventoryOrleans.Api.Grpc.Tests.Support;

/// <summary>Proto events and requests for the tests; every test uses product ids of its own.</summary>
public static class Events
{
    /// <summary>A product id no other test (or run) uses.</summary>
    public static string NewProductId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static PostEventRequest Post(EventType type, string productId, long quantity, bool wait = true, string eventId = "", string reservationId = "") => new()
    {
        Event = new InventoryEvent
        {
            EventId = eventId,
            Type = type,
            ProductId = productId,
            Quantity = quantity,
            ReservationId = reservationId,
        },
        WaitForOutcome = wait,
    };

    public static Timestamp At(string rfc3339) => Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(rfc3339, System.Globalization.CultureInfo.InvariantCulture));
}
