using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A JoinGroup answer; only the leader gets <see cref="Members"/> (with their metadata for the chosen protocol).</summary>
public sealed record JoinGroupResult(
    ErrorCode Error,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string LeaderId,
    string MemberId,
    IReadOnlyList<JoinedMember> Members)
{
    public static JoinGroupResult Failed(ErrorCode error, string memberId) => new(error, -1, null, null, "", memberId, []);
}
