using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>Checks an event before any rule runs: broken identities throw, invalid content is an InvalidEvent rejection.</summary>
public static class EventValidation
{
    /// <summary>Throws <see cref="ArgumentException"/> unless eventId and productId are 1–128 characters and productId is <paramref name="grainKey"/>.</summary>
    public static void EnsureIdentity(InventoryEvent inventoryEvent, string grainKey)
    {
        ArgumentNullException.ThrowIfNull(inventoryEvent);
        EnsureId(inventoryEvent.EventId, "eventId");
        EnsureId(inventoryEvent.ProductId, "productId");
        if (!string.Equals(inventoryEvent.ProductId, grainKey, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Event '{inventoryEvent.EventId}' is for product '{inventoryEvent.ProductId}' but was sent to product grain '{grainKey}'; route each event to the grain of its productId.",
                nameof(inventoryEvent));
        }
    }

    /// <summary>Why the event breaks the contract's field rules (quantity sign and bound, reservationId, type), or null when it does not.</summary>
    public static string? FindInvalidContent(InventoryEvent inventoryEvent)
    {
        ArgumentNullException.ThrowIfNull(inventoryEvent);
        var type = inventoryEvent.Type;
        if (!Enum.IsDefined(type))
        {
            return $"unknown event type {(int)type}";
        }

        // ReservationRelease ignores its quantity, Adjustment is signed; every other quantity is a count.
        if (type == InventoryEventType.Adjustment && inventoryEvent.Quantity == 0)
        {
            return "an Adjustment of 0 changes nothing";
        }

        if (inventoryEvent.Quantity < 0 && type is not (InventoryEventType.Adjustment or InventoryEventType.ReservationRelease))
        {
            return $"negative quantity {inventoryEvent.Quantity} for {type}";
        }

        // What the door (the parser) refuses the grain refuses too, so no path around it can bring an absurd quantity.
        if (type != InventoryEventType.ReservationRelease
            && inventoryEvent.Quantity is > InventoryEvent.MaxQuantity or < -InventoryEvent.MaxQuantity)
        {
            return $"quantity {inventoryEvent.Quantity} beyond {InventoryEvent.MaxQuantity} for {type}";
        }

        if (string.IsNullOrEmpty(inventoryEvent.ReservationId)
            && type is InventoryEventType.Reservation or InventoryEventType.ReservationRelease or InventoryEventType.Fulfillment)
        {
            return $"{type} without reservationId";
        }

        return null;
    }

    private static void EnsureId(string? id, string name)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException($"The event's {name} is empty; it must be 1–{InventoryEvent.MaxIdLength} characters.", name);
        }

        if (id.Length > InventoryEvent.MaxIdLength)
        {
            throw new ArgumentException($"The event's {name} has {id.Length} characters; at most {InventoryEvent.MaxIdLength} are allowed.", name);
        }
    }
}
