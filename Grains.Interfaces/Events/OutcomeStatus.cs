namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The decisive answer to one consumed event.</summary>
public enum OutcomeStatus
{
    Applied,
    Duplicate,
    Rejected,
}
