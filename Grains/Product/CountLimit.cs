namespace InventoryOrleans.Grains.Product;

/// <summary>
/// docs/CONTRACTS.md "Counts are checked": on-hand (at a location and in all), reserved and in-transit stay within ±(2^53 − 1),
/// the integers every JSON reader holds exactly. Sums are taken as <see cref="Int128"/>, so no count can wrap around
/// while it is being checked.
/// </summary>
internal static class CountLimit
{
    /// <summary>The largest count in either direction: 9,007,199,254,740,991.</summary>
    public const long Max = 9_007_199_254_740_991;

    /// <summary>
    /// Whether moving on-hand at <paramref name="location"/> by <paramref name="onHandDelta"/>, reserved by
    /// <paramref name="reservedDelta"/> and in-transit by <paramref name="inTransitDelta"/> keeps every count allowed.
    /// </summary>
    public static bool Allows(ProductState state, string location, Int128 onHandDelta, Int128 reservedDelta, Int128 inTransitDelta)
    {
        if (onHandDelta != 0)
        {
            Int128 atLocation = state.OnHand.GetValueOrDefault(location);
            Int128 total = 0;
            foreach (var onHand in state.OnHand.Values)
            {
                total += onHand;
            }

            if (!Allows(atLocation, atLocation + onHandDelta) || !Allows(total, total + onHandDelta))
            {
                return false;
            }
        }

        return Allows(state.Reserved, state.Reserved + reservedDelta) && Allows(state.InTransit, state.InTransit + inTransitDelta);
    }

    /// <summary>Whether moving reserved by <paramref name="reservedDelta"/> (and nothing else) keeps it allowed.</summary>
    public static bool AllowsReserved(ProductState state, Int128 reservedDelta) => Allows(state.Reserved, state.Reserved + reservedDelta);

    // Within the bound; or, for a count already beyond it (stored before counts were checked, when quantities were
    // unbounded), no further from zero than it was — else such a product could never be corrected by events.
    private static bool Allows(Int128 before, Int128 after) =>
        Int128.Abs(after) <= Max || (Int128.Abs(after) <= Int128.Abs(before) && after >= long.MinValue && after <= long.MaxValue);
}
