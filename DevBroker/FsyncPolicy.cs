namespace InventoryOrleans.DevBroker;

/// <summary>When produced data is forced to disk.</summary>
public enum FsyncPolicy
{
    /// <summary>Every append is written to the OS before it is acknowledged (survives a process crash, not a power loss).</summary>
    FlushToOs = 0,

    /// <summary>Additionally fsync the segment before acknowledging an acks=all produce (survives a power loss; slower).</summary>
    FsyncOnAcksAll = 1,
}
