namespace InventoryOrleans.DevBroker.Groups;

/// <summary>
/// One line of the offsets log: a commit (<see cref="Offsets"/>), a completed generation (<see cref="ProtocolType"/>,
/// <see cref="Generation"/>), a deleted group, or a transaction's side: offsets it holds pending (<see cref="Offsets"/>
/// of <see cref="ProducerId"/>), then its end (commit applies them, abort drops them).
/// </summary>
public sealed record OffsetLogRecord(
    string Type,
    string Group,
    string? ProtocolType = null,
    int? Generation = null,
    IReadOnlyList<CommittedOffset>? Offsets = null,
    long? ProducerId = null)
{
    public const string CommitType = "commit";
    public const string GroupType = "group";
    public const string DeleteType = "delete";
    public const string TransactionalCommitType = "txn-offsets";
    public const string TransactionCommittedType = "txn-commit";
    public const string TransactionAbortedType = "txn-abort";
}
