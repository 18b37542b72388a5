using System.Net;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InventoryOrleans.Api.Tests.Watching;

/// <summary>
/// The live change path of an Api host: one tail of <c>inventory.net-stock</c> per host, fanned out to every watcher of a
/// product, each watcher's subscription gone with it; a host started after the changes starts its watchers from the
/// grain's current stock.
/// </summary>
[Collection(ApiClusterCollection.Name)]
public sealed class StockChangesFanOutTests(ApiCluster cluster)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Watch_TwentyWatchersOfOneProduct_OneTailFeedsThemAllAndEverySubscriptionGoesWithItsClient()
    {
        var productId = Products.New("fan-out");
        await PostAsync($$"""{"type":"Receipt","productId":"{{productId}}","quantity":10}""");
        var hub = cluster.Api.Services.GetRequiredService<StockChangeHub>();
        var before = hub.Count;
        var watchers = new List<SseClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                watchers.Add(await SseClient.OpenAsync(cluster.Api.BaseAddress, $"/api/stock/{productId}/changes"));
            }

            foreach (var watcher in watchers)
            {
                Assert.Equal("1", (await watcher.NextStockAsync(Arrival)).Id);
            }

            Assert.Equal(20, hub.SubscribersOf(productId));
            Assert.Equal(before + 20, hub.Count);

            // One consumer for the host, however many watch.
            Assert.Single(cluster.Api.Services.GetServices<IHostedService>().OfType<NetStockTail>());

            await PostAsync($$"""{"productId":"{{productId}}","quantity":3}""", "/api/sales?wait=true");
            foreach (var watcher in watchers)
            {
                var change = await watcher.NextStockAsync(Arrival);
                Assert.Equal("2", change.Id);
                Assert.Equal(7, change.Json["onHand"]!.GetValue<long>());
            }

            // Half the clients go: only their subscriptions are removed, the others still get changes.
            foreach (var watcher in watchers.Take(10))
            {
                await watcher.DisposeAsync();
            }

            await Eventually.TrueAsync(() => hub.SubscribersOf(productId) == 10, Arrival, "the ten watchers that left are unsubscribed");
            await PostAsync($$"""{"productId":"{{productId}}","quantity":1}""", "/api/sales?wait=true");
            foreach (var watcher in watchers.Skip(10))
            {
                Assert.Equal("3", (await watcher.NextStockAsync(Arrival)).Id);
            }
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                await watcher.DisposeAsync();
            }
        }

        await Eventually.TrueAsync(() => hub.SubscribersOf(productId) == 0 && hub.Count == before, Arrival, "no subscription is left once every client went");
    }

    [Fact]
    public async Task Watch_HostStartedAfterTheChanges_FirstMessageIsTheGrainsCurrentStockThenOnlyNewerVersions()
    {
        var productId = Products.New("late-host");
        await PostAsync($$"""{"type":"Receipt","productId":"{{productId}}","quantity":10}""");
        await PostAsync($$"""{"productId":"{{productId}}","quantity":2}""", "/api/sales?wait=true");
        await PostAsync($$"""{"productId":"{{productId}}","quantity":2}""", "/api/sales?wait=true");

        await using var host = await cluster.StartHostAsync(cluster.Settings());
        await using var sse = await SseClient.OpenAsync(host.BaseAddress, $"/api/stock/{productId}/changes");
        Assert.Equal(HttpStatusCode.OK, sse.Response.StatusCode);
        var first = await sse.NextStockAsync(Arrival);
        Assert.Equal("3", first.Id);
        Assert.Equal(6, first.Json["onHand"]!.GetValue<long>());

        await PostAsync($$"""{"productId":"{{productId}}","quantity":1}""", "/api/sales?wait=true");
        var next = await sse.NextStockAsync(Arrival);
        Assert.Equal("4", next.Id);
        Assert.Equal(5, next.Json["onHand"]!.GetValue<long>());
        Assert.False(sse.TryTake(out var extra) && extra!.Event is not null, $"nothing after version 4, got {extra}");
    }

    private async Task PostAsync(string body, string path = "/api/events?wait=true")
    {
        using var response = await cluster.Api.Http.PostRawAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} {body}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("Applied", (await response.BodyAsync())!["outcome"]!["status"]!.GetValue<string>());
    }
}
