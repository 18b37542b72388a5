namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A member as DescribeGroups reports it; metadata and assignment bytes verbatim (empty unless the group is Stable).</summary>
public sealed record MemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);
