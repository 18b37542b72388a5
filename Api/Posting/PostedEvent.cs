namespace InventoryOrleans.Api.Posting;

/// <summary>Where a posted event was produced: the answer of <c>POST /api/events</c> (202) and of gRPC <c>PostEvent</c>.</summary>
public sealed record PostedEvent(string EventId, string ProductId, string Topic, int Partition, long Offset);
