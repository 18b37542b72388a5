namespace InventoryOrleans.Api.Rest;

/// <summary>The answer of a batch read: the stock of each product that has any, and the ids that have none, both in request order.</summary>
public sealed record StockBatch(IReadOnlyList<NetStock> Items, IReadOnlyList<string> Missing);
