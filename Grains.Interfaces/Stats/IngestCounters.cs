using System.Collections.Immutable;

namespace InventoryOrleans.Grains.Interfaces.Stats;

/// <summary>
/// Ingest counters since a silo started (or summed over silos): the numbers <c>/metrics</c> exposes as
/// <c>inventory_ingest_messages_total</c>, <c>inventory_ingest_outcomes_total</c>, <c>inventory_ingest_lag</c> and
/// <c>inventory_ingest_pauses_total</c>, taken from the same counters.
/// </summary>
/// <param name="Messages">Input messages read, dead-lettered ones included.</param>
/// <param name="MessagesByTopic">Input topic → messages read from it.</param>
/// <param name="EventsPerSecond">Messages read per second over the last few whole seconds.</param>
/// <param name="Applied">Outcomes <c>Applied</c>.</param>
/// <param name="Duplicate">Outcomes <c>Duplicate</c>.</param>
/// <param name="Rejected">Outcomes <c>Rejected</c>.</param>
/// <param name="RejectedByReason">Rejection reason (<c>InsufficientStock</c>, …) → outcomes.</param>
/// <param name="DeadLettered">Messages written to <c>inventory.dlq</c>.</param>
/// <param name="DeadLetteredByReason">The <c>dlq-reason</c> code (<c>NotJson</c>, <c>MissingField</c>, …) → messages.</param>
/// <param name="TotalLag">Messages not consumed yet, over every owned input topic-partition.</param>
/// <param name="Pauses">Times consumption was paused by an outage (storage or broker).</param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.IngestCounters")]
public sealed record IngestCounters(
    [property: Id(0)] long Messages,
    [property: Id(1)] ImmutableDictionary<string, long> MessagesByTopic,
    [property: Id(2)] double EventsPerSecond,
    [property: Id(3)] long Applied,
    [property: Id(4)] long Duplicate,
    [property: Id(5)] long Rejected,
    [property: Id(6)] ImmutableDictionary<string, long> RejectedByReason,
    [property: Id(7)] long DeadLettered,
    [property: Id(8)] ImmutableDictionary<string, long> DeadLetteredByReason,
    [property: Id(9)] long TotalLag,
    [property: Id(10)] long Pauses)
{
    public static IngestCounters Zero { get; } = new(0, ImmutableDictionary<string, long>.Empty, 0, 0, 0, 0, ImmutableDictionary<string, long>.Empty, 0, ImmutableDictionary<string, long>.Empty, 0, 0);

    /// <summary>These counters plus <paramref name="other"/>'s (dictionaries added key by key).</summary>
    public IngestCounters Plus(IngestCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Messages + other.Messages,
            Add(MessagesByTopic, other.MessagesByTopic),
            EventsPerSecond + other.EventsPerSecond,
            Applied + other.Applied,
            Duplicate + other.Duplicate,
            Rejected + other.Rejected,
            Add(RejectedByReason, other.RejectedByReason),
            DeadLettered + other.DeadLettered,
            Add(DeadLetteredByReason, other.DeadLetteredByReason),
            TotalLag + other.TotalLag,
            Pauses + other.Pauses);
    }

    private static ImmutableDictionary<string, long> Add(ImmutableDictionary<string, long> left, ImmutableDictionary<string, long> right)
    {
        var sum = left.ToBuilder();
        foreach (var (key, value) in right)
        {
            sum[key] = sum.GetValueOrDefault(key) + value;
        }

        return sum.ToImmutable();
    }
}
