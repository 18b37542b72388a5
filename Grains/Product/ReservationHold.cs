namespace InventoryOrleans.Grains.Product;

/// <summary>A held reservation: what remains of it and when it expires.</summary>
public sealed class ReservationHold
{
    public long Remaining { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}
