namespace InventoryOrleans.Api.Rest;

/// <summary>The body of <c>POST /api/stock/query</c>: the ids of a batch read too long for a URL.</summary>
public sealed record StockQuery(IReadOnlyList<string?>? ProductIds);
