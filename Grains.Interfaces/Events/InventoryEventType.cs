namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The event types of docs/CONTRACTS.md; the JSON carries the member name. Values are stored: append only.</summary>
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

    /// <summary>Sets the product's own low-stock threshold (<c>quantity</c>, 0 or more) in place of the default.</summary>
    LowStockThreshold,
}
