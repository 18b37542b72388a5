namespace InventoryOrleans.DevBroker.Groups;

/// <summary>The classic group coordinator's states; their names are what DescribeGroups and ListGroups report.</summary>
public enum GroupState
{
    /// <summary>No members; may still hold committed offsets.</summary>
    Empty,

    /// <summary>Waiting for every known member to (re)join, up to the rebalance timeout.</summary>
    PreparingRebalance,

    /// <summary>Joins answered; waiting for the leader's assignment in SyncGroup.</summary>
    CompletingRebalance,

    /// <summary>Assignment handed out; members heartbeat.</summary>
    Stable,

    /// <summary>Deleted.</summary>
    Dead,
}
