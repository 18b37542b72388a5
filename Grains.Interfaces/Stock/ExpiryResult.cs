namespace InventoryOrleans.Grains.Interfaces;

/// <summary>Reservations released because their <c>expiresAt</c> passed, and the stock after.</summary>
public sealed record ExpiryResult(IReadOnlyList<string> ReleasedReservationIds, StockView Stock)
{
    /// <summary>Whether anything was released (and so a net-stock record is due).</summary>
    public bool Changed => ReleasedReservationIds.Count > 0;
}
