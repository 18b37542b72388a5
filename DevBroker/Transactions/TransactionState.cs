namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>Where a transactional id's current transaction stands (Kafka's TransactionState, without the states a
/// single broker never waits in).</summary>
public enum TransactionState
{
    /// <summary>Initialized (InitProducerId), no transaction started yet.</summary>
    Empty,

    /// <summary>Partitions or offsets were added; records may be produced.</summary>
    Ongoing,

    /// <summary>Commit decided (durably); markers and offsets still being written.</summary>
    PrepareCommit,

    /// <summary>Abort decided (durably); markers and offsets still being dropped.</summary>
    PrepareAbort,

    CompleteCommit,

    CompleteAbort,
}
