namespace InventoryOrleans.Grains.Interfaces;

/// <summary>
/// The last committed publication attempt of an input partition, as kept in the consumer group's committed offset on
/// <c>Topics.PublicationMarks</c> (one Kafka offset: the epoch in the high 31 bits, the attempt in the low 32).
/// </summary>
public readonly record struct PublicationMark(long Epoch, long Attempt)
{
    private const int AttemptBits = 32;
    private const long AttemptMask = (1L << AttemptBits) - 1;

    /// <summary>No attempt committed yet (no offset committed).</summary>
    public static PublicationMark None => default;

    /// <summary>The highest attempt an epoch can number (the pipeline begins a new epoch before it gets there).</summary>
    public const long MaxAttempt = AttemptMask;

    /// <summary>The mark as a Kafka offset.</summary>
    public long ToOffset() => (Epoch << AttemptBits) | Attempt;

    /// <summary>The mark a committed offset holds; an unset (negative) offset is <see cref="None"/>.</summary>
    public static PublicationMark FromOffset(long offset) => offset <= 0 ? None : new(offset >> AttemptBits, offset & AttemptMask);
}
