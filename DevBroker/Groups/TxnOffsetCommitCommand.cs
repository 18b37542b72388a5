namespace InventoryOrleans.DevBroker.Groups;

/// <summary>Offsets a transactional producer commits for a group (TxnOffsetCommit): pending until its transaction ends.
/// Generation −1 with no member id (versions before KIP-447) is not checked against the group.</summary>
public sealed record TxnOffsetCommitCommand(string GroupId, long ProducerId, int GenerationId, string MemberId, string? GroupInstanceId, IReadOnlyList<OffsetCommitEntry> Offsets);
