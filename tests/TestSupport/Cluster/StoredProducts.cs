using System.Text.Json;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Storage;
using StackExchange.Redis;

namespace InventoryOrleans.TestSupport.Cluster;

/// <summary>Reads product state straight from Redis, as the silo's <c>products</c> storage wrote it, without a silo.</summary>
public sealed class StoredProducts(string redisConnectionString, string serviceId) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => ConnectionMultiplexer.ConnectAsync(redisConnectionString));

    /// <summary>The stored state with its window, or null when the product has none.</summary>
    public async Task<ProductState?> ReadAsync(string productId)
    {
        var db = (await _connection.Value).GetDatabase();
        var entries = await db.HashGetAllAsync(SegmentedRedisGrainStorage.KeyOf(serviceId, ProductGrain.IdOf(productId), ProductGrain.StateName));
        var data = entries.FirstOrDefault(e => e.Name == "data").Value;
        if (data.IsNullOrEmpty)
        {
            return null;
        }

        var state = JsonSerializer.Deserialize<ProductState>((byte[])data!, Json)!;
        var segments = entries
            .Where(e => ((string)e.Name!).StartsWith("seg:", StringComparison.Ordinal))
            .Select(e => new StateSegment(long.Parse(((string)e.Name!)["seg:".Length..], System.Globalization.CultureInfo.InvariantCulture), (byte[])e.Value!))
            .OrderBy(s => s.Id)
            .ToList();
        ((ISegmentedState)state).RestoreSegments(segments);
        return state;
    }

    /// <summary>The stored stock, or null when the product has none.</summary>
    public async Task<StockView?> StockAsync(string productId) => (await ReadAsync(productId))?.ToStockView(productId);

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}
