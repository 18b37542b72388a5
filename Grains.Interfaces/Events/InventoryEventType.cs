namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The event types of CONTRACTS.md; the JSON carries the member name. Values are stored: append only.</summary>
[GenerateSerializer]
[Alias("inventory.InventoryEventType")]
public enum InventoryEventType
{
    Snapshot,
    Receipt,
    Sale,
    Return,
    Adjustment,
    TransferOut,
    TransferIn,
    Reservation,
    ReservationRelease,
    Fulfillment,
}
