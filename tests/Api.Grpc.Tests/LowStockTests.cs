using System.Text.Json;
using Grpc.Core;
using InventoryOrleans.Api.Grpc.Tests.Support;
using InventoryOrleans.Grains.Interfaces;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>
/// Low stock over gRPC: EVENT_TYPE_LOW_STOCK_THRESHOLD posts the product's own threshold (quantity), produced as a
/// <c>LowStockThreshold</c> event; <c>Stock.low_stock</c> and <c>low_stock_threshold</c> show the judgement.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LowStockTests(ApiCluster api)
{
    [Fact]
    public async Task PostEvent_LowStockThreshold_SetsTheProductsOwnThresholdAndGetStockShowsItAndLowStock()
    {
        var productId = Events.NewProductId("grpc-threshold");
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 20), deadline: Deadline());
        var before = await api.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline());
        Assert.Equal((false, 10L), (before.LowStock, before.LowStockThreshold));

        var posted = await api.Client.PostEventAsync(Events.Post(EventType.LowStockThreshold, productId, 25), deadline: Deadline());

        Assert.Equal((OutcomeStatus.Applied, 2L), (posted.Outcome.Status, posted.Outcome.Version));
        Assert.Equal((20L, true, 25L), (posted.Outcome.Stock.Available, posted.Outcome.Stock.LowStock, posted.Outcome.Stock.LowStockThreshold));
        var stock = await api.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline());
        Assert.Equal((2L, true, 25L), (stock.Version, stock.LowStock, stock.LowStockThreshold));
        var stocks = await api.Client.GetStocksAsync(new GetStocksRequest { ProductIds = { productId } }, deadline: Deadline());
        Assert.Equal((true, 25L), (stocks.Items.Single().LowStock, stocks.Items.Single().LowStockThreshold));

        var record = api.Cluster.Client!.ReadAll(posted.Topic).Single(r => r.Partition.Value == posted.Partition && r.Offset.Value == posted.Offset);
        using var json = JsonDocument.Parse(record.Message.Value);
        Assert.Equal(Topics.Events, posted.Topic);
        Assert.Equal("LowStockThreshold", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(25, json.RootElement.GetProperty("quantity").GetInt64());
        Assert.Equal(productId, json.RootElement.GetProperty("productId").GetString());

        // Lowered below the available stock again: no longer low.
        var lowered = await api.Client.PostEventAsync(Events.Post(EventType.LowStockThreshold, productId, 0), deadline: Deadline());
        Assert.Equal((false, 0L), (lowered.Outcome.Stock.LowStock, lowered.Outcome.Stock.LowStockThreshold));
    }

    [Fact]
    public async Task PostEvent_NegativeThreshold_InvalidArgumentNamingQuantityAndNothingProduced()
    {
        var before = Topics.Inputs.Sum(api.Cluster.Client!.Count);

        var e = await FailsAsync(
            StatusCode.InvalidArgument,
            () => api.Client.PostEventAsync(Events.Post(EventType.LowStockThreshold, Events.NewProductId("grpc-threshold-bad"), -1), deadline: Deadline()).ResponseAsync);

        Assert.StartsWith("quantity: ", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, Topics.Inputs.Sum(api.Cluster.Client!.Count));
    }
}
