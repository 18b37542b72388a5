namespace InventoryOrleans.Grains;

/// <summary>Settings of <see cref="ProductGrain"/>, bound from the configuration section <c>ProductGrain</c>.</summary>
public sealed class ProductGrainOptions
{
    public const string SectionName = "ProductGrain";

    /// <summary>
    /// How many recent eventIds each product remembers for de-duplication (default 10,000). Larger windows catch
    /// later re-sends; they cost memory and activation time, not write size (the window is stored in sealed segments).
    /// </summary>
    public int DedupWindowSize { get; set; } = 10_000;
}
