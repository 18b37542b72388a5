namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>One transactional id's live slot: the lock its requests take (requests of different ids do not wait for
/// each other) and its current metadata.</summary>
internal sealed class TransactionEntry(TransactionMetadata metadata, bool markersMayExist)
{
    public Lock Gate { get; } = new();

    public TransactionMetadata Metadata { get; set; } = metadata;

    /// <summary>True when markers of the prepared transaction may be in some logs already (a completion failed half-way,
    /// or the broker restarted while completing): completing it again writes markers only where the producer's
    /// transaction is still open, so none is written twice.</summary>
    public bool MarkersMayExist { get; set; } = markersMayExist;
}
