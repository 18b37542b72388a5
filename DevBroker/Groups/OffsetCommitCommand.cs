namespace InventoryOrleans.DevBroker.Groups;

/// <summary>An OffsetCommit request; generation −1 and an empty member id come from a consumer outside group management.</summary>
public sealed record OffsetCommitCommand(string GroupId, int GenerationId, string MemberId, IReadOnlyList<OffsetCommitEntry> Offsets);
