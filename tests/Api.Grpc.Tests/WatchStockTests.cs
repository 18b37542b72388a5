using Grpc.Core;
using Grpc.Net.Client;
using InventoryOrleans.Api.Grpc.Tests.Support;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;
using GrainEvent = InventoryOrleans.Grains.Interfaces.InventoryEvent;
using GrainEventType = InventoryOrleans.Grains.Interfaces.InventoryEventType;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>
/// WatchStock: first the current stock of each product that has some, then every persisted change in version order,
/// whoever posted it; the stream subscriptions end with the call.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WatchStockTests(ApiCluster api)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WatchStock_ExistingProduct_CurrentStockThenEachChangeInVersionOrderThenUnsubscribedWhenTheClientCancels()
    {
        var productId = Events.NewProductId("watch");
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 10), deadline: Deadline());
        Assert.Equal(0, StockSubscriptions.Count(api.Api.Services, productId));

        using var cancel = new CancellationTokenSource();
        using var call = api.Client.WatchStock(new WatchStockRequest { ProductIds = { productId } }, cancellationToken: cancel.Token);
        var current = await NextAsync(call);
        Assert.Equal((1L, 10L), (current.Version, current.OnHand));
        Assert.Equal(1, StockSubscriptions.Count(api.Api.Services, productId));

        // A change posted through gRPC, one produced straight to Kafka by another system, one more through gRPC.
        await api.Client.PostEventAsync(Events.Post(EventType.Sale, productId, 3), deadline: Deadline());
        var client = api.Cluster.Client!;
        client.Produce(Topics.Events, new GrainEvent($"kafka-{Guid.NewGuid():N}", GrainEventType.Adjustment, productId, 5, DateTimeOffset.UtcNow, Source: "WMS"));
        client.Flush();
        await Eventually.TrueAsync(
            async () => (await api.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline())).Version == 3,
            Patience,
            "the adjustment produced to Kafka is applied");
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 1), deadline: Deadline());

        var changes = new[] { await NextAsync(call), await NextAsync(call), await NextAsync(call) };
        Assert.Equal([2L, 3L, 4L], changes.Select(s => s.Version));
        Assert.Equal([7L, 12L, 13L], changes.Select(s => s.OnHand));

        await cancel.CancelAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        await Eventually.TrueAsync(
            () => StockSubscriptions.Count(api.Api.Services, productId) == 0,
            Patience,
            "the watch's subscription on the host's tail is removed");
    }

    [Fact]
    public async Task WatchStock_ClientConnectionDropped_Unsubscribed()
    {
        var productId = Events.NewProductId("watch-dropped");
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 1), deadline: Deadline());
        var channel = GrpcChannel.ForAddress(api.Api.Address);
        var call = new Inventory.InventoryClient(channel).WatchStock(new WatchStockRequest { ProductIds = { productId } });
        Assert.Equal(1, (await NextAsync(call)).Version);
        Assert.Equal(1, StockSubscriptions.Count(api.Api.Services, productId));

        // The connection goes away without the call being cancelled first, as when a client process dies.
        channel.Dispose();

        await Eventually.TrueAsync(
            () => StockSubscriptions.Count(api.Api.Services, productId) == 0,
            Patience,
            "the watch's subscription on the host's tail is removed");
        call.Dispose();
    }

    [Fact]
    public async Task WatchStock_UnknownProduct_FirstMessageIsItsFirstChange()
    {
        var productId = Events.NewProductId("watch-new");
        using var call = api.Client.WatchStock(new WatchStockRequest { ProductIds = { productId } }, deadline: Deadline(60));

        // Headers come once the watch is subscribed: nothing posted after them is missed.
        await call.ResponseHeadersAsync;
        var posted = await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 4), deadline: Deadline());

        var first = await NextAsync(call);
        Assert.Equal(productId, first.ProductId);
        Assert.Equal(1, first.Version);
        Assert.Equal(4, first.OnHand);
        Assert.Equal(posted.EventId, first.LastEventId);
    }

    [Fact]
    public async Task WatchStock_SeveralProducts_CurrentOfEachExistingOneThenChangesOfAny()
    {
        var a = Events.NewProductId("watch-a");
        var b = Events.NewProductId("watch-b");
        var unknown = Events.NewProductId("watch-unknown");
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, a, 1), deadline: Deadline());
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, b, 2), deadline: Deadline());
        using var call = api.Client.WatchStock(new WatchStockRequest { ProductIds = { a, unknown, b, a } }, deadline: Deadline(60));

        var current = new[] { await NextAsync(call), await NextAsync(call) };
        Assert.Equal([(a, 1L), (b, 2L)], current.Select(s => (s.ProductId, s.OnHand)).Order());

        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, unknown, 3), deadline: Deadline());
        await api.Client.PostEventAsync(Events.Post(EventType.Sale, b, 1), deadline: Deadline());

        // Version order holds per product; two products' changes travel on separate streams.
        var changes = new[] { await NextAsync(call), await NextAsync(call) };
        Assert.Equal([(b, 2L, 1L), (unknown, 1L, 3L)], changes.Select(s => (s.ProductId, s.Version, s.OnHand)).OrderBy(c => c.ProductId == unknown));
    }

    public static TheoryData<string, string[]> InvalidWatches()
    {
        var many = Enumerable.Range(0, 1001).Select(i => $"many-{i}").ToArray();
        return new TheoryData<string, string[]>
        {
            { "no ids", [] },
            { "an empty id", ["fine", ""] },
            { "an id over 128 characters", ["fine", new string('p', 129)] },
            { "1,001 ids", many },
        };
    }

    [Theory]
    [MemberData(nameof(InvalidWatches))]
    public async Task WatchStock_InvalidIds_InvalidArgument(string what, string[] productIds)
    {
        using var call = api.Client.WatchStock(new WatchStockRequest { ProductIds = { productIds } }, deadline: Deadline());

        var e = await FailsAsync(StatusCode.InvalidArgument, () => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.True(e.Status.Detail.StartsWith("product_ids:", StringComparison.Ordinal), $"{what}: {e.Status.Detail}");
    }

    private static async Task<Stock> NextAsync(AsyncServerStreamingCall<Stock> call)
    {
        using var timeout = new CancellationTokenSource(Patience);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "the watch ended early");
        return call.ResponseStream.Current;
    }
}
