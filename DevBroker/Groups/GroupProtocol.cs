namespace InventoryOrleans.DevBroker.Groups;

/// <summary>One protocol a member offers in JoinGroup (an assignor name for consumers) with its opaque metadata.</summary>
public sealed record GroupProtocol(string Name, byte[] Metadata);
