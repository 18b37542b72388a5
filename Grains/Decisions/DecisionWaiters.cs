using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Decisions;

/// <summary>
/// The callers of <see cref="IProductGrain.WaitForDecisionAsync"/> one activation holds, each waiting for the decision
/// about one input message (eventId and position) that the product had not decided, or not persisted, when it asked.
/// Used from the grain's turns only (not thread-safe).
/// </summary>
internal sealed class DecisionWaiters
{
    private readonly Dictionary<string, List<Waiter>> _byEventId = new(StringComparer.Ordinal);

    public bool IsEmpty => _byEventId.Count == 0;

    /// <summary>Whether someone waits for the message at <paramref name="position"/> carrying <paramref name="eventId"/>.</summary>
    public bool Awaits(string eventId, EventPosition? position) =>
        position is { } at && _byEventId.TryGetValue(eventId, out var waiting) && waiting.Exists(w => w.Position == at);

    /// <summary>Waits until <see cref="Complete"/> finds the decision (or <see cref="ReleaseAll"/> gives up); null after <paramref name="maxWait"/>.</summary>
    public async Task<EventDecision?> WaitAsync(string eventId, EventPosition position, TimeSpan maxWait, TimeProvider time)
    {
        var waiter = new Waiter(position);
        if (!_byEventId.TryGetValue(eventId, out var waiting))
        {
            _byEventId[eventId] = waiting = [];
        }

        waiting.Add(waiter);
        try
        {
            return await waiter.Completion.Task.WaitAsync(maxWait, time);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            waiting.Remove(waiter);
            if (waiting.Count == 0 && _byEventId.TryGetValue(eventId, out var current) && ReferenceEquals(current, waiting))
            {
                _byEventId.Remove(eventId);
            }
        }
    }

    /// <summary>Answers every waiter whose message <paramref name="decide"/> finds decided (it returns null for the others).</summary>
    public void Complete(Func<string, EventPosition, EventDecision?> decide)
    {
        foreach (var (eventId, waiting) in _byEventId)
        {
            foreach (var waiter in waiting)
            {
                if (decide(eventId, waiter.Position) is { } decision)
                {
                    waiter.Completion.TrySetResult(decision);
                }
            }
        }
    }

    /// <summary>Answers every waiter with null: they ask again and reach the next activation, which reads storage.</summary>
    public void ReleaseAll()
    {
        foreach (var waiter in _byEventId.Values.SelectMany(w => w))
        {
            waiter.Completion.TrySetResult(null);
        }
    }

    private sealed class Waiter(EventPosition position)
    {
        public EventPosition Position { get; } = position;

        public TaskCompletionSource<EventDecision?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
