namespace InventoryOrleans.DevBroker.Tests.Groups;

/// <summary>
/// Every record each group member processed and every offset it committed, in one global order, so a test can
/// check "exactly once, except at-least-once redelivery after the last commit" exactly.
/// </summary>
internal sealed class GroupDeliveryLedger
{
    private readonly Lock _gate = new();
    private readonly List<Event> _events = [];
    private readonly HashSet<(int Partition, long Offset)> _distinct = [];

    public int DistinctCount
    {
        get
        {
            lock (_gate)
            {
                return _distinct.Count;
            }
        }
    }

    public void Delivered(string consumer, int partition, long offset, string value)
    {
        lock (_gate)
        {
            _events.Add(new Event(consumer, false, partition, offset, value));
            _distinct.Add((partition, offset));
        }
    }

    public void Committed(string consumer, int partition, long offset)
    {
        lock (_gate)
        {
            _events.Add(new Event(consumer, true, partition, offset, null));
        }
    }

    public int DeliveredBy(string consumer)
    {
        lock (_gate)
        {
            return _events.Count(e => !e.IsCommit && e.Consumer == consumer);
        }
    }

    /// <summary>
    /// Problems found (none when the run was right), and how many deliveries were redeliveries. Right means: every
    /// produced offset delivered, each carrying its own value; and a record is delivered again only when no commit
    /// had covered it yet (a commit of offset C promises offsets below C are never delivered again).
    /// </summary>
    public (IReadOnlyList<string> Problems, int Redeliveries) Verify(IReadOnlyDictionary<(int Partition, long Offset), string> produced)
    {
        lock (_gate)
        {
            var problems = new List<string>();
            var committed = new Dictionary<int, long>();
            var seen = new HashSet<(int, long)>();
            var redeliveries = 0;
            foreach (var e in _events)
            {
                if (e.IsCommit)
                {
                    committed[e.Partition] = Math.Max(committed.GetValueOrDefault(e.Partition), e.Offset);
                    continue;
                }

                if (!produced.TryGetValue((e.Partition, e.Offset), out var value) || value != e.Value)
                {
                    problems.Add($"{e.Consumer} got {e.Partition}@{e.Offset} = '{e.Value}', produced '{value}'");
                }

                if (!seen.Add((e.Partition, e.Offset)))
                {
                    redeliveries++;
                    if (e.Offset < committed.GetValueOrDefault(e.Partition))
                    {
                        problems.Add($"{e.Consumer} got {e.Partition}@{e.Offset} again after offset {committed[e.Partition]} was committed");
                    }
                }
            }

            problems.AddRange(produced.Keys.Where(k => !seen.Contains(k)).Take(10).Select(k => $"{k.Partition}@{k.Offset} never delivered"));
            return (problems, redeliveries);
        }
    }

    private sealed record Event(string Consumer, bool IsCommit, int Partition, long Offset, string? Value);
}
