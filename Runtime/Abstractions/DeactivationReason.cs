namespace InventoryOrleans.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>Idle for longer than the collection age.</summary>
    IdleCollection,

    /// <summary>The grain asked for it with <c>DeactivateOnIdle</c>.</summary>
    ApplicationRequested,

    /// <summary>The host asked for a chosen set of keys (for example Kafka partitions moved away).</summary>
    ExplicitDeactivation,

    /// <summary>The runtime is shutting down.</summary>
    ShuttingDown,

    /// <summary>A write was rejected because another writer changed the state (stale ETag).</summary>
    InconsistentState,
}
