using Grpc.Core;
using InventoryOrleans.Api.Grpc.Tests.Support;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>GetStocks: up to 1,000 products, known ones in <c>items</c> and unknown ones in <c>missing</c>, in request order.</summary>
[Collection(ApiCollection.Name)]
public sealed class GetStocksTests(ApiCluster api)
{
    [Fact]
    public async Task GetStocks_KnownAndUnknown_ItemsAndMissingInRequestOrderEachOnce()
    {
        var a = Events.NewProductId("batch-a");
        var b = Events.NewProductId("batch-b");
        var x = Events.NewProductId("batch-x");
        var y = Events.NewProductId("batch-y");
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, a, 1), deadline: Deadline());
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, b, 2), deadline: Deadline());

        var response = await api.Client.GetStocksAsync(new GetStocksRequest { ProductIds = { x, b, y, a, b, "", x } }, deadline: Deadline());

        Assert.Equal([b, a], response.Items.Select(s => s.ProductId));
        Assert.Equal([2L, 1L], response.Items.Select(s => s.OnHand));
        Assert.Equal([x, y], response.Missing);
    }

    [Fact]
    public async Task GetStocks_1000Ids_AllAnswered()
    {
        var known = new[] { Events.NewProductId("thousand-known-1"), Events.NewProductId("thousand-known-2") };
        foreach (var id in known)
        {
            await api.Client.PostEventAsync(Events.Post(EventType.Receipt, id, 4), deadline: Deadline());
        }

        var unknownPrefix = Events.NewProductId("thousand");
        var ids = Enumerable.Range(0, 998).Select(i => $"{unknownPrefix}-{i}").ToList();
        ids.Insert(10, known[0]);
        ids.Add(known[1]);

        var response = await api.Client.GetStocksAsync(new GetStocksRequest { ProductIds = { ids } }, deadline: Deadline(60));

        Assert.Equal(known, response.Items.Select(s => s.ProductId));
        Assert.All(response.Items, s => Assert.Equal(4, s.OnHand));
        Assert.Equal(ids.Except(known), response.Missing);
    }

    [Fact]
    public async Task GetStocks_1001Ids_InvalidArgument()
    {
        var prefix = Events.NewProductId("too-many");
        var request = new GetStocksRequest { ProductIds = { Enumerable.Range(0, 1001).Select(i => $"{prefix}-{i}") } };

        var e = await FailsAsync(StatusCode.InvalidArgument, () => api.Client.GetStocksAsync(request, deadline: Deadline()).ResponseAsync);

        Assert.Contains("1000", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStocks_NoIds_InvalidArgument()
    {
        await FailsAsync(StatusCode.InvalidArgument, () => api.Client.GetStocksAsync(new GetStocksRequest(), deadline: Deadline()).ResponseAsync);
        await FailsAsync(StatusCode.InvalidArgument, () => api.Client.GetStocksAsync(new GetStocksRequest { ProductIds = { "", "" } }, deadline: Deadline()).ResponseAsync);
    }

    [Fact]
    public async Task GetStocks_IdOver128Characters_InvalidArgument()
    {
        var request = new GetStocksRequest { ProductIds = { "fine", new string('p', 129) } };

        await FailsAsync(StatusCode.InvalidArgument, () => api.Client.GetStocksAsync(request, deadline: Deadline()).ResponseAsync);
    }
}
