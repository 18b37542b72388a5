namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The <c>reason</c> strings of rejected outcomes (docs/CONTRACTS.md "Event rules").</summary>
public static class RejectionReasons
{
    public const string StaleSnapshot = nameof(StaleSnapshot);
    public const string InsufficientStock = nameof(InsufficientStock);
    public const string ReservationExists = nameof(ReservationExists);
    public const string UnknownReservation = nameof(UnknownReservation);
    public const string ExceedsReservation = nameof(ExceedsReservation);

    /// <summary>The event would take on-hand (at a location or in all), reserved or in-transit beyond ±(2^53 − 1), JSON's safe integers.</summary>
    public const string Overflow = nameof(Overflow);

    /// <summary>An event that reached the grain without passing validation (negative quantity, missing reservationId, …).</summary>
    public const string InvalidEvent = nameof(InvalidEvent);
}
