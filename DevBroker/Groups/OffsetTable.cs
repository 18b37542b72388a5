namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A group's committed offsets by topic-partition.</summary>
public sealed class OffsetTable
{
    private readonly Dictionary<(string Topic, int Partition), CommittedOffset> _offsets = [];

    public int Count => _offsets.Count;

    public IEnumerable<CommittedOffset> All => _offsets.Values;

    public void Set(CommittedOffset offset) => _offsets[(offset.Topic, offset.Partition)] = offset;

    public CommittedOffset Get(string topic, int partition) =>
        _offsets.TryGetValue((topic, partition), out var offset) ? offset : CommittedOffset.None(topic, partition);

    public void Clear() => _offsets.Clear();
}
