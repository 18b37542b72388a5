using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A group as DescribeGroups reports it.</summary>
public sealed record GroupDescription(
    string GroupId,
    ErrorCode Error,
    string State,
    string ProtocolType,
    string ProtocolName,
    IReadOnlyList<MemberDescription> Members);
