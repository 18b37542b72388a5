namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A SyncGroup request; only the leader's carries assignments.</summary>
public sealed record SyncGroupCommand(string GroupId, int GenerationId, string MemberId, IReadOnlyList<MemberAssignment> Assignments);
