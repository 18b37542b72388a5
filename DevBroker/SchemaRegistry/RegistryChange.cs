namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>What one <c>_schemas</c> record changes (<see cref="SchemaVersionChange"/>, <see cref="ConfigChange"/>); the
/// registry's state is these applied in log order.</summary>
internal abstract record RegistryChange;
