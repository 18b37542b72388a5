namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The answer to one consumed event. Values are stored in the de-duplication window: append only.</summary>
[GenerateSerializer]
[Alias("inventory.OutcomeStatus")]
public enum OutcomeStatus
{
    Applied,
    Duplicate,
    Rejected,
}
