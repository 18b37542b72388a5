namespace InventoryOrleans.Grains.Interfaces;

/// <summary>One product's stock; keyed by productId. Applies the event rules of docs/CONTRACTS.md exactly once in effect.</summary>
[Alias("inventory.IProductGrain")]
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a product's events of one consumed batch in order and persists once at the end (coalescing): the
    /// ingest pipeline's call. The result holds what must go out in the transaction of <paramref name="ticket"/>: an
    /// outcome per event, and the net stock and alerts not yet known published (the grain records that they go out in
    /// that attempt, and learns from later tickets whether it committed). A storage failure throws and leaves the
    /// activation to reload from storage; a stale ETag, or a ticket older than one the product has seen, throws
    /// <see cref="Orleans.Storage.InconsistentStateException"/> (another activation or owner wrote meanwhile).
    /// </summary>
    [Alias("ApplyBatch")]
    Task<BatchApplyResult> ApplyBatchAsync(IReadOnlyList<PositionedEvent> events, PublicationTicket ticket);

    /// <summary>
    /// Whether the product's <em>stored</em> state holds the decision about the input message at
    /// <paramref name="position"/> (which carried <paramref name="eventId"/>): the ingest's rollback check asks it of
    /// messages whose offsets the group committed. Read from storage, not from this activation, which may hold what
    /// storage lost; an activation that finds storage holding other than what it last read or wrote deactivates.
    /// </summary>
    [Alias("HoldsDecision")]
    [Orleans.Concurrency.ReadOnly]
    Task<bool> HoldsDecisionAsync(string eventId, EventPosition position);

    /// <summary>The current stock (version 0 and zeros for a product no event was ever applied to).</summary>
    [Alias("GetStock")]
    [Orleans.Concurrency.ReadOnly]
    Task<StockView> GetStockAsync();

    /// <summary>
    /// The decision about the input message at <paramref name="position"/>, which carried <paramref name="eventId"/>:
    /// that message's own outcome (Applied or Rejected for the message that first carried the eventId, Duplicate for a
    /// later one) with the version and stock right after it — at once when it is decided and persisted, else as soon as
    /// a write makes it so. A message decided so long ago that the product no longer keeps its decision is answered
    /// <see cref="EventDecision.NoLongerKept"/>. Null when no decision comes within <paramref name="maxWait"/> or the
    /// activation goes away (ask again). Interleaves with the grain's other calls, so waiting never holds up the events
    /// being waited for.
    /// </summary>
    [Alias("WaitForDecision")]
    [Orleans.Concurrency.AlwaysInterleave]
    [ResponseTimeout("00:01:00")]
    Task<EventDecision?> WaitForDecisionAsync(string eventId, EventPosition position, TimeSpan maxWait);

    /// <summary>
    /// What the product must still publish outside a batch (an expiry release, or outputs of an attempt that did not
    /// commit), to go out in the transaction of <paramref name="ticket"/>; null when everything is known published.
    /// </summary>
    [Alias("PreparePublication")]
    Task<StockPublication?> PreparePublicationAsync(PublicationTicket ticket);

    /// <summary>
    /// The attempts of <paramref name="ticket"/>'s epoch up to its <see cref="PublicationTicket.Committed"/> committed:
    /// the grain counts what went out in them as published and, once its expiry releases are, moves its expiry reminder
    /// to the next expiry or drops it.
    /// </summary>
    [Alias("Published")]
    Task PublishedAsync(PublicationTicket ticket);

    /// <summary>
    /// No ingest publishes for this cluster (a silo without Kafka): count every change as published, so the expiry
    /// reminder moves on instead of retrying.
    /// </summary>
    [Alias("SkipPublication")]
    Task SkipPublicationAsync();
}
