using Grpc.Core;
using InventoryOrleans.Api.Grpc.Tests.Support;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>GetStock: a product's stock, NOT_FOUND at version 0, INVALID_ARGUMENT for a bad id.</summary>
[Collection(ApiCollection.Name)]
public sealed class GetStockTests(ApiCluster api)
{
    [Fact]
    public async Task GetStock_AfterAppliedEvents_ReturnsTheStockOfTheContract()
    {
        var productId = Events.NewProductId("get");
        var receipt = Events.Post(EventType.Receipt, productId, 7);
        receipt.Event.LocationId = "shelf";
        await api.Client.PostEventAsync(receipt, deadline: Deadline());
        var reservation = Events.Post(EventType.Reservation, productId, 2, reservationId: "r-1");
        var reserved = await api.Client.PostEventAsync(reservation, deadline: Deadline());

        var stock = await api.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline());

        Assert.Equal(productId, stock.ProductId);
        Assert.Equal(7, stock.OnHand);
        Assert.Equal(2, stock.Reserved);
        Assert.Equal(0, stock.InTransit);
        Assert.Equal(5, stock.Available);
        Assert.Equal(2, stock.Version);
        Assert.Equal(reserved.EventId, stock.LastEventId);
        Assert.Equal(new Dictionary<string, long> { ["shelf"] = 7 }, stock.Locations);
        Assert.NotNull(stock.UpdatedAt);
        Assert.InRange(stock.UpdatedAt.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        // Available 5 is at or below the default threshold (10).
        Assert.True(stock.LowStock);
    }

    [Fact]
    public async Task GetStock_ProductNeverChanged_NotFound()
    {
        var productId = Events.NewProductId("never");

        var e = await FailsAsync(StatusCode.NotFound, () => api.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline()).ResponseAsync);

        Assert.Contains(productId, e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStock_OnlyRejectedEvents_NotFound()
    {
        var productId = Events.NewProductId("rejected-only");
        var posted = await api.Client.PostEventAsync(Events.Post(EventType.Reservation, productId, 3, reservationId: "r-1"), deadline: Deadline());
        Assert.Equal(OutcomeStatus.Rejected, posted.Outcome.Status);

        await FailsAsync(StatusCode.NotFound, () => api.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline()).ResponseAsync);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(129)]
    public async Task GetStock_EmptyOrOver128Characters_InvalidArgument(int length)
    {
        var e = await FailsAsync(StatusCode.InvalidArgument, () => api.Client.GetStockAsync(new GetStockRequest { ProductId = new string('p', length) }, deadline: Deadline()).ResponseAsync);

        Assert.StartsWith("product_id:", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStock_128Characters_IsAValidId()
    {
        var productId = Events.NewProductId("long").PadRight(128, 'x');
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 1), deadline: Deadline());

        var stock = await api.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline());

        Assert.Equal(1, stock.OnHand);
    }
}
