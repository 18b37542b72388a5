namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A partition's committed position in a group; offset −1 means nothing committed.</summary>
public sealed record CommittedOffset(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata)
{
    public static CommittedOffset None(string topic, int partition) => new(topic, partition, -1, -1, "");
}
