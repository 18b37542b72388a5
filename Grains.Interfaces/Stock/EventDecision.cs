namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The product grain's decision about one input message, as the API's outcome wait reports it.</summary>
/// <param name="Status">The message's own outcome: Applied or Rejected for the message that first carried its eventId, Duplicate for a later one.</param>
/// <param name="Reason">The rejection reason, or null.</param>
/// <param name="Version">The product's version right after the decision.</param>
/// <param name="Stock">
/// The stock right after the decision. Only when the wait reached the product after later changes and the grain no
/// longer holds the stock of that moment (it keeps the last few in memory) is it the current stock; its own version says so.
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.EventDecision")]
public sealed record EventDecision(
    [property: Id(0)] OutcomeStatus Status,
    [property: Id(1)] string? Reason,
    [property: Id(2)] long Version,
    [property: Id(3)] StockView Stock)
{
    /// <summary>
    /// The message was decided (it is at or below its topic-partition's watermark), but the product no longer keeps
    /// that decision: its de-duplication window moved past it. Nothing else here is about the message then —
    /// <see cref="Stock"/> is the current stock, and <see cref="Status"/> the Duplicate that hosts predating this flag
    /// answered before it existed.
    /// </summary>
    [Id(4)]
    public bool NoLongerKept { get; init; }

    /// <summary>The answer about a message decided so long ago that its decision is no longer kept.</summary>
    public static EventDecision NotKept(StockView current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return new(OutcomeStatus.Duplicate, null, current.Version, current) { NoLongerKept = true };
    }
}
