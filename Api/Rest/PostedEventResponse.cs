using InventoryOrleans.Api.Posting;

namespace InventoryOrleans.Api.Rest;

/// <summary>The 202 of a post: the event's id (made up when the body had none) and where it was produced.</summary>
public sealed record PostedEventResponse(string EventId, string Topic, int Partition, long Offset)
{
    public static PostedEventResponse From(PostedEvent posted)
    {
        ArgumentNullException.ThrowIfNull(posted);
        return new PostedEventResponse(posted.EventId, posted.Topic, posted.Partition, posted.Offset);
    }
}
