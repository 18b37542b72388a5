namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>What a registry operation gives: its value, or the <see cref="RegistryError"/> to answer.</summary>
public readonly record struct RegistryOutcome<T>(T? Value, RegistryError? Error)
{
    public static implicit operator RegistryOutcome<T>(T value) => new(value, null);

    public static implicit operator RegistryOutcome<T>(RegistryError error) => new(default, error);
}
