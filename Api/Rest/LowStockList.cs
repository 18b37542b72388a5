using InventoryOrleans.Api.Alerts;

namespace InventoryOrleans.Api.Rest;

/// <summary>The answer of <c>GET /api/low-stock</c>.</summary>
public sealed record LowStockList(IReadOnlyList<LowStockEntry> Items);
