namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>Confluent's compatibility levels: which earlier versions of a subject a new schema is checked against, and in
/// which direction (BACKWARD: the new schema reads data written with the old; FORWARD: the old reads the new; FULL:
/// both; _TRANSITIVE: against every version instead of the latest).</summary>
public enum CompatibilityLevel
{
    None,
    Backward,
    Forward,
    Full,
    BackwardTransitive,
    ForwardTransitive,
    FullTransitive,
}
