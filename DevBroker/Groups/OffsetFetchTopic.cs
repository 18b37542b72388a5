namespace InventoryOrleans.DevBroker.Groups;

/// <summary>The partitions of one topic asked for in OffsetFetch.</summary>
public sealed record OffsetFetchTopic(string Topic, IReadOnlyList<int> Partitions);
