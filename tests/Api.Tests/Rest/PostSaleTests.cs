using System.Net;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>POST /api/sales: the shorthand for a Sale event, through the same submission as POST /api/events.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class PostSaleTests(ApiCluster cluster)
{
    private HttpClient Http => cluster.Api.Http;

    [Fact]
    public async Task PostSale_Shorthand_ASaleOnTheSalesTopicWithWhatItNamedAndNothingElse()
    {
        var productId = Products.New("sale");
        using var response = await Http.PostRawAsync(
            "/api/sales",
            $$"""{"productId":"{{productId}}","quantity":3,"locationId":"store-9","eventId":"sale-1","occurredAt":"2026-11-30T10:00:00Z","correlationId":"c-9","type":"Receipt","reservationId":"ignored","source":"ignored"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var posted = (await response.BodyAsync())!;
        Assert.Equal("sale-1", posted["eventId"]!.GetValue<string>());
        Assert.Equal(Topics.Sales, posted["topic"]!.GetValue<string>());
        var (key, record) = TopicReader.ReadAt(cluster.BootstrapServers, Topics.Sales, posted["partition"]!.GetValue<int>(), posted["offset"]!.GetValue<long>());
        Assert.Equal(productId, key);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["type"] = "Sale",
                ["eventId"] = "sale-1",
                ["productId"] = productId,
                ["quantity"] = "3",
                ["locationId"] = "store-9",
                ["occurredAt"] = "2026-11-30T10:00:00Z",
                ["correlationId"] = "c-9",
                ["source"] = "API",
            },
            record.ToDictionary(p => p.Key, p => p.Value!.ToString()));
    }

    [Fact]
    public async Task PostSale_WaitTrue_200WithTheSaleAppliedAtItsLocation()
    {
        var productId = Products.New("sale-wait");
        using var receipt = await Http.PostRawAsync("/api/events?wait=true", $$"""{"type":"Receipt","productId":"{{productId}}","quantity":10,"locationId":"store-9"}""");
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);

        using var sale = await Http.PostRawAsync("/api/sales?wait=true", $$"""{"productId":"{{productId}}","quantity":3,"locationId":"store-9"}""");

        Assert.Equal(HttpStatusCode.OK, sale.StatusCode);
        var outcome = (await sale.BodyAsync())!["outcome"]!;
        Assert.Equal("Applied", outcome["status"]!.GetValue<string>());
        Assert.Equal(2, outcome["version"]!.GetValue<long>());
        Assert.Equal(7, outcome["stock"]!["locations"]!["store-9"]!.GetValue<long>());
    }

    [Fact]
    public async Task PostSale_EventIdDecidedBeforeRepostedWithWait_DuplicateWithTheVersionAndStockRightAfterThatDecision()
    {
        var productId = Products.New("sale-repost");
        using var receipt = await Http.PostRawAsync("/api/events?wait=true", $$"""{"type":"Receipt","productId":"{{productId}}","quantity":10}""");
        using var sale = await Http.PostRawAsync("/api/sales?wait=true", $$"""{"productId":"{{productId}}","quantity":3,"eventId":"repost-1"}""");
        using var later = await Http.PostRawAsync("/api/events?wait=true", $$"""{"type":"Receipt","productId":"{{productId}}","quantity":1}""");
        Assert.Equal(2, (await sale.BodyAsync())!["outcome"]!["version"]!.GetValue<long>());

        using var again = await Http.PostRawAsync("/api/sales?wait=true", $$"""{"productId":"{{productId}}","quantity":3,"eventId":"repost-1"}""");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var outcome = (await again.BodyAsync())!["outcome"]!;
        Assert.Equal("Duplicate", outcome["status"]!.GetValue<string>());
        Assert.Null(outcome["reason"]);
        Assert.Equal(3, outcome["version"]!.GetValue<long>());
        Assert.Equal((3L, 8L), (outcome["stock"]!["version"]!.GetValue<long>(), outcome["stock"]!["onHand"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("""{"productId":"p","quantity":"3"}""", "quantity")]
    [InlineData("""{"productId":"p"}""", "quantity")]
    [InlineData("""{"productId":"p","quantity":-3}""", "quantity")]
    [InlineData("""{"productId":"p","quantity":1000000001}""", "quantity")]
    [InlineData("""{"productId":"p","quantity":9223372036854775807}""", "quantity")]
    [InlineData("""{"quantity":3}""", "productId")]
    [InlineData("""{"productId":"p","quantity":3,"occurredAt":"noon"}""", "occurredAt")]
    [InlineData("""{"productId":"p","quantity":3,"locationId":1}""", "locationId")]
    [InlineData("""[{"productId":"p","quantity":3}]""", "body")]
    [InlineData("""{"productId":"p","quantity":3""", "body")]
    public async Task PostSale_BadSale_400NamingTheFieldAndNothingProduced(string body, string field)
    {
        var before = cluster.InputEnds();
        using var response = await Http.PostRawAsync("/api/sales", body);

        await response.AssertValidationErrorAsync(field);
        Assert.Equal(before, cluster.InputEnds());
    }
}
