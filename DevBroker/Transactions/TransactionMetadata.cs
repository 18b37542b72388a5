namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>
/// What the coordinator knows of one transactional id: its producer id (stable) and epoch (bumped by every
/// InitProducerId and by every fencing abort), the epoch before the last bump (so a retried bump is recognised), the
/// transaction's timeout, state, partitions and groups, and when it started. Immutable: every change is a new value,
/// stored in the state log before it takes effect.
/// </summary>
public sealed record TransactionMetadata(
    string TransactionalId,
    long ProducerId,
    short ProducerEpoch,
    short LastProducerEpoch,
    TimeSpan Timeout,
    TransactionState State,
    IReadOnlyList<TransactionPartition> Partitions,
    IReadOnlyList<string> Groups,
    DateTimeOffset StartedAt)
{
    /// <summary>A transactional id seen for the first time: a new producer id, no epoch yet.</summary>
    public static TransactionMetadata New(string transactionalId, long producerId, TimeSpan timeout) =>
        new(transactionalId, producerId, -1, -1, timeout, TransactionState.Empty, [], [], DateTimeOffset.MinValue);

    public bool IsPrepared => State is TransactionState.PrepareCommit or TransactionState.PrepareAbort;
}
