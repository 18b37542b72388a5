namespace InventoryOrleans.Grains;

/// <summary>Inventory-wide settings (configuration section <c>Inventory</c>).</summary>
public sealed class InventoryOptions
{
    public const string SectionName = "Inventory";

    /// <summary>
    /// The low-stock threshold of a product that has none of its own (default 10): a product is low when its available
    /// stock is at or below it. A product's own threshold is set by a <c>LowStockThreshold</c> event.
    /// </summary>
    public long LowStockThreshold { get; set; } = 10;
}
