using System.Globalization;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Api.Rest;

/// <summary>
/// A product's stock as the API answers it: the record of <c>inventory.net-stock</c> field for field (docs/CONTRACTS.md
/// "Net stock"; <c>updatedAt</c> RFC 3339 UTC with <c>Z</c>, locations in ordinal order), like
/// <see cref="Grains.Interfaces.Json.RecordSerializer.NetStock"/> writes it.
/// </summary>
public sealed record NetStock(
    string ProductId,
    long OnHand,
    long Reserved,
    long InTransit,
    long Available,
    long Version,
    string? LastEventId,
    string UpdatedAt,
    IReadOnlyDictionary<string, long> Locations,
    bool LowStock,
    long LowStockThreshold)
{
    public static NetStock From(StockView stock)
    {
        ArgumentNullException.ThrowIfNull(stock);
        return new NetStock(
            stock.ProductId,
            stock.OnHand,
            stock.Reserved,
            stock.InTransit,
            stock.Available,
            stock.Version,
            stock.LastEventId,
            stock.UpdatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            new SortedDictionary<string, long>(stock.Locations.ToDictionary(), StringComparer.Ordinal),
            stock.LowStock,
            stock.LowStockThreshold);
    }
}
