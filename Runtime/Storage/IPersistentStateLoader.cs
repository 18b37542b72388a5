namespace InventoryOrleans.Runtime;

/// <summary>Lets the activation load every state of a grain before <c>OnActivateAsync</c> without knowing their types.</summary>
internal interface IPersistentStateLoader
{
    Task LoadAsync(CancellationToken cancellationToken);
}
