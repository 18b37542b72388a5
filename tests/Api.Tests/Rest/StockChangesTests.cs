using System.Net;
using System.Text;
using InventoryOrleans.Api.Rest;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>GET /api/stock/{productId}/changes: server-sent events of a product's stock, from the host's tail of inventory.net-stock.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class StockChangesTests(ApiCluster cluster)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Watch_ChangesPostedThroughRest_CurrentStockThenEveryChangeInVersionOrder_AndTheSubscriptionEndsWithTheClient()
    {
        var productId = Products.New("watch");
        await PostAsync($$"""{"type":"Receipt","productId":"{{productId}}","quantity":10}""");

        var sse = await SseClient.OpenAsync(cluster.Api.BaseAddress, $"/api/stock/{productId}/changes");
        try
        {
            Assert.Equal(HttpStatusCode.OK, sse.Response.StatusCode);
            Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType?.MediaType);
            var first = await sse.NextStockAsync(Arrival);
            AssertStockEvent(first, productId, version: 1, onHand: 10);

            // While the client watches, the host holds one subscription on its tail for the product.
            Assert.Equal(1, Subscriptions(cluster.Api, productId));

            for (var i = 1; i <= 3; i++)
            {
                await PostAsync($$"""{"productId":"{{productId}}","quantity":{{i}}}""", "/api/sales?wait=true");
            }

            // Each post waited for its decision, so each is a batch of its own: one persisted change, one event.
            var onHand = 10L;
            SseMessage last = first;
            for (var version = 2; version <= 4; version++)
            {
                onHand -= version - 1;
                last = await sse.NextStockAsync(Arrival);
                AssertStockEvent(last, productId, version, onHand);
            }

            // The data is the record the pipeline publishes on inventory.net-stock for that version, byte for byte.
            await Eventually.TrueAsync(
                () => cluster.Kafka.ReadAll(Topics.NetStock).Any(r => Encoding.UTF8.GetString(r.Message.Value) == last.Data),
                Arrival,
                $"inventory.net-stock holds exactly {last.Data}");

            Assert.False(sse.TryTake(out var extra) && extra!.Event is not null, $"one event per change, got also {extra}");
        }
        finally
        {
            await sse.DisposeAsync();
        }

        // The client went: the route ends and its watch unsubscribes.
        await Eventually.TrueAsync(() => Subscriptions(cluster.Api, productId) == 0, Arrival, $"the Api host's subscription on {productId} is gone");
    }

    [Fact]
    public async Task Watch_ProductWithNoStockYet_StreamOpensEmptyThenItsFirstChange()
    {
        var productId = Products.New("watch-new");
        await using var sse = await SseClient.OpenAsync(cluster.Api.BaseAddress, $"/api/stock/{productId}/changes");
        Assert.Equal(HttpStatusCode.OK, sse.Response.StatusCode);
        await Eventually.TrueAsync(() => Subscriptions(cluster.Api, productId) == 1, Arrival, "the watch subscribed");
        Assert.False(sse.TryTake(out var early) && early!.Event is not null, $"no event before the first change, got {early}");

        await PostAsync($$"""{"type":"Snapshot","productId":"{{productId}}","quantity":4}""");

        AssertStockEvent(await sse.NextStockAsync(Arrival), productId, version: 1, onHand: 4);
    }

    [Fact]
    public async Task Watch_ProductWithNoStockYetWhoseGrainIsDeactivated_NothingStoredAndItsFirstChangeStillArrives()
    {
        // The host's clock stands still and the grain is deactivated in between: the first change comes from the
        // committed net stock whatever became of the activation the watch first read.
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await cluster.StartHostAsync(cluster.Settings(), time: time);
        var productId = Products.New("watch-new-deactivated");
        await using var sse = await SseClient.OpenAsync(host.BaseAddress, $"/api/stock/{productId}/changes");
        Assert.Equal(HttpStatusCode.OK, sse.Response.StatusCode);
        await Eventually.TrueAsync(() => Subscriptions(host, productId) == 1, Arrival, "the watch subscribed");

        using var gone = new CancellationTokenSource(Arrival);
        foreach (var silo in cluster.Inventory.Silos)
        {
            await InventoryTestCluster.Activations(silo).DeactivateAsync(p => p == productId, "test", gone.Token);
        }

        Assert.Null(await cluster.Inventory.Stored.ReadAsync(productId));
        await PostAsync($$"""{"type":"Snapshot","productId":"{{productId}}","quantity":4}""");

        AssertStockEvent(await sse.NextStockAsync(Arrival), productId, version: 1, onHand: 4);
    }

    [Fact]
    public async Task Watch_NothingChanges_ACommentLineEvery15Seconds()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await cluster.StartHostAsync(cluster.Settings(), time: time);
        await using var sse = await SseClient.OpenAsync(host.BaseAddress, $"/api/stock/{Products.New("quiet")}/changes");
        Assert.False(sse.TryTake(out _));

        time.Advance(StockChangesResult.HeartbeatInterval - TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        var comment = await sse.NextAsync(Arrival);
        Assert.Null(comment.Event);
        Assert.NotNull(comment.Comment);

        time.Advance(StockChangesResult.HeartbeatInterval);
        Assert.NotNull((await sse.NextAsync(Arrival)).Comment);
    }

    [Fact]
    public async Task Watch_IdOver128Characters_400NamingProductId()
    {
        using var response = await cluster.Api.Http.GetAsync(new Uri($"/api/stock/{new string('x', 129)}/changes", UriKind.Relative));
        await response.AssertValidationErrorAsync("productId");
    }

    private static void AssertStockEvent(SseMessage message, string productId, long version, long onHand)
    {
        Assert.Equal("stock", message.Event);
        Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), message.Id);
        Assert.DoesNotContain('\n', message.Data!);
        var stock = message.Json;
        Assert.Equal(productId, stock["productId"]!.GetValue<string>());
        Assert.Equal(version, stock["version"]!.GetValue<long>());
        Assert.Equal(onHand, stock["onHand"]!.GetValue<long>());
        Assert.Equal(
            ["productId", "onHand", "reserved", "inTransit", "available", "version", "lastEventId", "updatedAt", "locations", "lowStock", "lowStockThreshold"],
            stock.Select(p => p.Key));
    }

    private static int Subscriptions(ApiTestHost host, string productId) => host.Services.GetRequiredService<StockChangeHub>().SubscribersOf(productId);

    private async Task PostAsync(string body, string path = "/api/events?wait=true")
    {
        using var response = await cluster.Api.Http.PostRawAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} {body}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("Applied", (await response.BodyAsync())!["outcome"]!["status"]!.GetValue<string>());
    }
}
