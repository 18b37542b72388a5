namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A member named in LeaveGroup: by member id, or (static membership, v3+) by group instance id with an empty member id.</summary>
public sealed record LeavingMember(string MemberId, string? GroupInstanceId);
