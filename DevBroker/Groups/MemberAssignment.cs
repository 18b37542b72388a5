namespace InventoryOrleans.DevBroker.Groups;

/// <summary>The leader's opaque assignment for one member.</summary>
public sealed record MemberAssignment(string MemberId, byte[] Assignment);
