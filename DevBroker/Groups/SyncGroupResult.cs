using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A SyncGroup answer: the member's assignment, empty (never null) when the leader gave it nothing.</summary>
public sealed record SyncGroupResult(ErrorCode Error, byte[] Assignment)
{
    public static SyncGroupResult Failed(ErrorCode error) => new(error, []);
}
