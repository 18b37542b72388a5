namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A JoinGroup request as the coordinator sees it, independent of the wire version.</summary>
/// <param name="RequireKnownMemberId">True from JoinGroup v4: a first join without a member id gets MEMBER_ID_REQUIRED and an id to rejoin with.</param>
public sealed record JoinGroupCommand(
    string GroupId,
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    TimeSpan SessionTimeout,
    TimeSpan RebalanceTimeout,
    string ProtocolType,
    IReadOnlyList<GroupProtocol> Protocols,
    bool RequireKnownMemberId);
