using InventoryOrleans.Api.Posting;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Api.Rest;

/// <summary>The 200 of a post with <c>?wait=true</c>: where the event was produced and the product grain's decision.</summary>
public sealed record DecidedEventResponse(string EventId, string Topic, int Partition, long Offset, EventOutcomeView Outcome)
{
    public static DecidedEventResponse From(PostedEvent posted, EventDecision decision)
    {
        ArgumentNullException.ThrowIfNull(posted);
        ArgumentNullException.ThrowIfNull(decision);
        return new DecidedEventResponse(
            posted.EventId,
            posted.Topic,
            posted.Partition,
            posted.Offset,
            new EventOutcomeView(decision.Status.ToString(), decision.Reason, decision.Version, NetStock.From(decision.Stock)));
    }
}

/// <summary>
/// The decision about the posted message: <c>Applied</c> or <c>Rejected</c> (with its reason) for the message that
/// first carried its eventId, <c>Duplicate</c> for a later one — and the product's version and stock right after it.
/// </summary>
public sealed record EventOutcomeView(string Status, string? Reason, long Version, NetStock Stock);
