namespace InventoryOrleans.TestSupport.Reference;

/// <summary>A product's stock in <see cref="InventoryReferenceModel"/>; compare with the net-stock record.</summary>
public sealed record ReferenceStock(
    long OnHand,
    long Reserved,
    long InTransit,
    long Available,
    long Version,
    string? LastEventId,
    IReadOnlyDictionary<string, long> Locations);
