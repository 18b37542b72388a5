namespace InventoryOrleans.Runtime;

/// <summary>Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/>, naming the state.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName) : Attribute
{
    /// <summary>The state's name; one grain may hold several named states.</summary>
    public string StateName { get; } = stateName;
}
