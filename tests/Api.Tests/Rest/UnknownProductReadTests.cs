using System.Net;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Storage;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>
/// docs/CONTRACTS.md "Event rules": reading or watching a product that no applied event ever changed keeps nothing for it —
/// the hostile client that reads and watches ids at random must not grow Redis.
/// </summary>
[Collection(ApiClusterCollection.Name)]
public sealed class UnknownProductReadTests(ApiCluster cluster)
{
    private const int Ids = 150;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReadsQueriesAndChangeStreams_150NeverSeenIds_NoProductStateWhileWatchedAndNoRedisKeyNamingThemAfter()
    {
        // One unique marker in every id, so the keys that name any of them are found whatever else the cluster holds.
        var marker = $"unseen{Guid.NewGuid():N}";
        var productIds = Enumerable.Range(0, Ids).Select(i => $"{marker}-{i}").ToList();
        var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Inventory.Redis.ConnectionString);
        await using var _ = redis;
        Assert.Empty(await KeysNamingAsync(redis, marker));

        foreach (var productId in productIds)
        {
            using var single = await cluster.Api.Http.GetAsync(new Uri($"/api/stock/{productId}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, single.StatusCode);
        }

        using var batch = await cluster.Api.Http.GetAsync(new Uri($"/api/stock?ids={string.Join(',', productIds)}", UriKind.Relative));
        Assert.Equal(Ids, (await batch.BodyAsync())!["missing"]!.AsArray().Count);
        using var query = await cluster.Api.Http.PostRawAsync("/api/stock/query", $$"""{"productIds":[{{string.Join(',', productIds.Select(id => $"\"{id}\""))}}]}""");
        Assert.Equal(Ids, (await query.BodyAsync())!["missing"]!.AsArray().Count);

        var streams = new List<SseClient>();
        try
        {
            foreach (var productId in productIds)
            {
                streams.Add(await SseClient.OpenAsync(cluster.Api.BaseAddress, $"/api/stock/{productId}/changes"));
            }

            Assert.All(streams, s => Assert.Equal(HttpStatusCode.OK, s.Response.StatusCode));

            // Every watch subscribed and read its grain's current stock (the headers follow both): no product state for any.
            var serviceId = cluster.Inventory.Orleans.Options.ServiceId;
            var stored = await KeysNamingAsync(redis, marker);
            Assert.DoesNotContain(stored, k => productIds.Any(id => k == SegmentedRedisGrainStorage.KeyOf(serviceId, ProductGrain.IdOf(id), ProductGrain.StateName)));
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }

        // The watches are gone: the host's hub forgot their subscriptions, and Redis holds nothing that names the ids.
        var hub = cluster.Api.Services.GetRequiredService<StockChangeHub>();
        await Eventually.TrueAsync(() => productIds.All(id => hub.SubscribersOf(id) == 0), Patience, "no subscription of any id is left on the host's tail");
        List<string> left = [];
        await Eventually.TrueAsync(async () => (left = await KeysNamingAsync(redis, marker)).Count == 0, Patience, $"no Redis key names the ids; left: {string.Join(", ", left.Take(5))}");
    }

    private static async Task<List<string>> KeysNamingAsync(ConnectionMultiplexer redis, string marker)
    {
        var keys = new List<string>();
        await foreach (var key in redis.GetServer(redis.GetEndPoints()[0]).KeysAsync(pattern: $"*{marker}*"))
        {
            keys.Add(key!);
        }

        return keys;
    }

}
