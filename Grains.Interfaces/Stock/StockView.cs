namespace InventoryOrleans.Grains.Interfaces;

/// <summary>A product's stock: the record published on <c>inventory.net-stock</c> and served by the API.</summary>
/// <param name="Available"><c>OnHand - Reserved</c>.</param>
/// <param name="Version">Grows by one with every applied change.</param>
/// <param name="Locations">On-hand per location; <see cref="OnHand"/> is their sum.</param>
public sealed record StockView(
    string ProductId,
    long OnHand,
    long Reserved,
    long InTransit,
    long Available,
    long Version,
    string? LastEventId,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, long> Locations);
