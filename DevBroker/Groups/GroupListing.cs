namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A group as ListGroups reports it.</summary>
public sealed record GroupListing(string GroupId, string ProtocolType, string State);
