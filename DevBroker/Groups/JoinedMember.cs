namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A member as the leader sees it in its JoinGroup response.</summary>
public sealed record JoinedMember(string MemberId, string? GroupInstanceId, byte[] Metadata);
