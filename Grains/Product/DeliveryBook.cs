using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// One product's delivery bookkeeping, apart from the stock rules: the offset watermark per topic-partition (so a
/// replayed message is known as one) and the de-duplication window (each eventId's first decision, and the
/// <c>Duplicate</c> answers given to re-sent messages), indexed for O(1) lookups and rebuilt from the persisted window.
/// </summary>
internal sealed class DeliveryBook
{
    private readonly ProductState _state;
    private readonly int _windowSize;

    // The window's first decisions by eventId (the duplicate check and the answer to a redelivery), and its Duplicate
    // answers by eventId and message position (the answer to their redelivery). The position includes topic and
    // partition: offsets of different topic-partitions collide all the time.
    private readonly Dictionary<string, SeenEvent> _decisions;
    private readonly Dictionary<(string EventId, string? Topic, int Partition, long Offset), SeenEvent> _duplicates = [];

    // Batches mostly come from one topic-partition: reuse its "topic/partition" key instead of building it per event.
    private string? _lastTopic;
    private int _lastPartition;
    private string _lastOffsetKey = "";

    public DeliveryBook(ProductState state, int windowSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        _state = state;
        _windowSize = windowSize;

        // A window persisted under a larger configured size shrinks to the current one, oldest first.
        while (state.Window.Count > windowSize)
        {
            state.Window.Dequeue();
        }

        _decisions = new Dictionary<string, SeenEvent>(state.Window.Count, StringComparer.Ordinal);
        foreach (var seen in state.Window)
        {
            Index(seen);
        }
    }

    /// <summary>Whether the message at <paramref name="position"/> is at or below its topic-partition's watermark.</summary>
    public bool IsRedelivery(EventPosition position) =>
        _state.Offsets.TryGetValue(OffsetKey(position.Topic, position.Partition), out var lastOffset) && position.Offset <= lastOffset;

    /// <summary>Whether the window holds a first decision for <paramref name="eventId"/>.</summary>
    public bool HasDecided(string eventId) => _decisions.ContainsKey(eventId);

    /// <summary>
    /// The decision the message at <paramref name="position"/> got while the window holds it: the eventId's first
    /// decision when that message made it, else the <c>Duplicate</c> it was answered. Null otherwise.
    /// </summary>
    public SeenEvent? DecisionOf(string eventId, EventPosition position)
    {
        if (_decisions.TryGetValue(eventId, out var first) && first.IsAt(position))
        {
            return first;
        }

        return _duplicates.TryGetValue((eventId, position.Topic, position.Partition, position.Offset), out var duplicate) ? duplicate : null;
    }

    /// <summary>
    /// Records a decision: the message's position (when it was read from Kafka) moves the watermark, and the decision
    /// enters the window, pushing the oldest out once it is full.
    /// </summary>
    public void Record(SeenEvent seen, EventPosition? position)
    {
        if (position is { } at)
        {
            seen.Topic = at.Topic;
            seen.Partition = at.Partition;
            seen.Offset = at.Offset;
            _state.Offsets[OffsetKey(at.Topic, at.Partition)] = at.Offset;
        }

        while (_state.Window.Count >= _windowSize)
        {
            Unindex(_state.Window.Dequeue());
        }

        _state.Window.Enqueue(seen);
        Index(seen);
    }

    private void Index(SeenEvent seen)
    {
        if (seen.Status == OutcomeStatus.Duplicate)
        {
            _duplicates[(seen.EventId, seen.Topic, seen.Partition, seen.Offset)] = seen;
        }
        else
        {
            _decisions[seen.EventId] = seen;
        }
    }

    private void Unindex(SeenEvent seen)
    {
        if (seen.Status == OutcomeStatus.Duplicate)
        {
            _duplicates.Remove((seen.EventId, seen.Topic, seen.Partition, seen.Offset));
        }
        else if (_decisions.TryGetValue(seen.EventId, out var indexed) && ReferenceEquals(indexed, seen))
        {
            _decisions.Remove(seen.EventId);
        }
    }

    private string OffsetKey(string topic, int partition)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (partition != _lastPartition || !string.Equals(topic, _lastTopic, StringComparison.Ordinal))
        {
            _lastOffsetKey = NamePool.OffsetKey(topic, partition);
            _lastTopic = topic;
            _lastPartition = partition;
        }

        return _lastOffsetKey;
    }
}
