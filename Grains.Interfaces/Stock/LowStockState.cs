namespace InventoryOrleans.Grains.Interfaces;

/// <summary>Which way a product crossed its low-stock threshold. Values are stored: append only.</summary>
[GenerateSerializer]
[Alias("inventory.LowStockState")]
public enum LowStockState
{
    /// <summary>Available fell to the threshold or below.</summary>
    Low,

    /// <summary>Available rose above the threshold again.</summary>
    Recovered,
}
