using System.Net;
using System.Text.Json.Nodes;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>GET /api/stock/{productId}, GET /api/stock?ids=…, POST /api/stock/query.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class StockReadTests(ApiCluster cluster)
{
    private HttpClient Http => cluster.Api.Http;

    [Fact]
    public async Task GetStock_AppliedProduct_AnswersTheNetStockRecordOfTheTopic()
    {
        var productId = Products.New("read");
        await PostAsync(productId, """{"type":"Receipt","quantity":10,"locationId":"wh-2"}""");
        await PostAsync(productId, """{"type":"Reservation","quantity":4,"reservationId":"r-1"}""");

        using var response = await Http.GetAsync(new Uri($"/api/stock/{productId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stock = (await response.BodyAsync())!.AsObject();
        Assert.Equal(2, stock["version"]!.GetValue<long>());
        Assert.Equal(10, stock["onHand"]!.GetValue<long>());
        Assert.Equal(6, stock["available"]!.GetValue<long>());
        Assert.EndsWith("Z", stock["updatedAt"]!.GetValue<string>(), StringComparison.Ordinal);

        // Field for field what the pipeline publishes on inventory.net-stock for the same version.
        JsonObject? published = null;
        await Eventually.TrueAsync(
            () =>
            {
                published = TopicReader.ValuesOf(cluster.Kafka, Topics.NetStock, productId).LastOrDefault();
                return published?["version"]?.GetValue<long>() == 2;
            },
            TimeSpan.FromSeconds(60),
            $"inventory.net-stock holds {productId} at version 2");
        Assert.True(JsonNode.DeepEquals(published, stock), $"REST {stock.ToJsonString()} differs from the topic's {published!.ToJsonString()}");
    }

    [Fact]
    public async Task GetStock_LowStockAndThreshold_TheDefaultUntilTheProductHasItsOwnAndLowAtOrBelowIt()
    {
        var productId = Products.New("read-low");
        await PostAsync(productId, """{"type":"Receipt","quantity":11}""");
        Assert.Equal((11L, false, 10L), await LowStockAsync(productId));

        await PostAsync(productId, """{"type":"Adjustment","quantity":-1}""");
        Assert.Equal((10L, true, 10L), await LowStockAsync(productId));

        await PostAsync(productId, """{"type":"LowStockThreshold","quantity":9}""");
        Assert.Equal((10L, false, 9L), await LowStockAsync(productId));

        // The batch reads answer the same fields.
        using var batch = await Http.GetAsync(new Uri($"/api/stock?ids={productId}", UriKind.Relative));
        var item = Assert.Single((await batch.BodyAsync())!["items"]!.AsArray())!;
        Assert.Equal((false, 9L), (item["lowStock"]!.GetValue<bool>(), item["lowStockThreshold"]!.GetValue<long>()));
        using var query = await Http.PostRawAsync("/api/stock/query", $$"""{"productIds":["{{productId}}"]}""");
        item = Assert.Single((await query.BodyAsync())!["items"]!.AsArray())!;
        Assert.Equal((false, 9L), (item["lowStock"]!.GetValue<bool>(), item["lowStockThreshold"]!.GetValue<long>()));
    }

    [Fact]
    public async Task GetStock_NeverChangedProduct_404ProblemDetails()
    {
        using var response = await Http.GetAsync(new Uri($"/api/stock/{Products.New("never")}", UriKind.Relative));
        await response.AssertProblemAsync(404);
    }

    [Fact]
    public async Task GetStock_IdOver128Characters_400NamingProductId()
    {
        using var response = await Http.GetAsync(new Uri("/api/stock/" + new string('x', 129), UriKind.Relative));
        await response.AssertValidationErrorAsync("productId");
    }

    [Fact]
    public async Task GetStocks_Ids_ItemsAndMissingInRequestOrderEmptyIgnoredRepeatAnsweredOnce()
    {
        var a = Products.New("batch-a");
        var b = Products.New("batch-b");
        var missing = Products.New("batch-missing");
        await PostAsync(a, """{"type":"Receipt","quantity":1}""");
        await PostAsync(b, """{"type":"Receipt","quantity":2}""");

        using var response = await Http.GetAsync(new Uri($"/api/stock?ids={b},,{missing},{a},{b}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.BodyAsync())!.AsObject();
        Assert.Equal([b, a], body["items"]!.AsArray().Select(i => i!["productId"]!.GetValue<string>()));
        Assert.Equal([2L, 1L], body["items"]!.AsArray().Select(i => i!["onHand"]!.GetValue<long>()));
        Assert.Equal([missing], body["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async Task GetStocks_ThousandIds_Answered_ThousandAndOne_400()
    {
        var known = Products.New("thousand");
        await PostAsync(known, """{"type":"Receipt","quantity":3}""");
        // Ids of about 50 characters: a 50 KB request line, past Kestrel's default 8 KiB, still a URL the API takes.
        var ids = Enumerable.Range(0, 999).Select(i => $"{known}-none-{i:D4}-{new string('p', 20)}").Prepend(known).ToList();

        using var thousand = await Http.GetAsync(new Uri("/api/stock?ids=" + string.Join(',', ids), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, thousand.StatusCode);
        var body = (await thousand.BodyAsync())!.AsObject();
        Assert.Equal(known, Assert.Single(body["items"]!.AsArray())!["productId"]!.GetValue<string>());
        Assert.Equal(ids.Skip(1), body["missing"]!.AsArray().Select(m => m!.GetValue<string>()));

        using var tooMany = await Http.GetAsync(new Uri("/api/stock?ids=" + string.Join(',', ids.Append(known + "-one-more")), UriKind.Relative));
        await tooMany.AssertValidationErrorAsync("ids");
    }

    [Theory]
    [InlineData("/api/stock")]
    [InlineData("/api/stock?ids=")]
    [InlineData("/api/stock?ids=,,")]
    public async Task GetStocks_NoIds_400NamingIds(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        await response.AssertValidationErrorAsync("ids");
    }

    [Fact]
    public async Task GetStocks_IdOver128Characters_400NamingIds()
    {
        using var response = await Http.GetAsync(new Uri("/api/stock?ids=a," + new string('x', 129), UriKind.Relative));
        await response.AssertValidationErrorAsync("ids");
    }

    [Fact]
    public async Task QueryStocks_ThousandIdsInTheBody_AnsweredLikeTheQueryString_ThousandAndOne_400()
    {
        var known = Products.New("query");
        await PostAsync(known, """{"type":"Receipt","quantity":5}""");
        var ids = Enumerable.Range(0, 999).Select(i => $"{known}-none-{i}").Append(known).ToList();

        using var response = await Http.PostRawAsync("/api/stock/query", new JsonObject { ["productIds"] = new JsonArray([.. ids.Select(i => JsonValue.Create(i))]) }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.BodyAsync())!.AsObject();
        Assert.Equal(5, Assert.Single(body["items"]!.AsArray())!["onHand"]!.GetValue<long>());
        Assert.Equal(999, body["missing"]!.AsArray().Count);

        using var tooMany = await Http.PostRawAsync("/api/stock/query", new JsonObject { ["productIds"] = new JsonArray([.. ids.Append("one-more").Select(i => JsonValue.Create(i))]) }.ToJsonString());
        await tooMany.AssertValidationErrorAsync("productIds");
    }

    [Theory]
    [InlineData("""{"productIds":"a,b"}""", "productIds")]
    [InlineData("""{"productIds":[1,2]}""", "productIds")]
    [InlineData("""{"productIds":[]}""", "productIds")]
    [InlineData("""{}""", "productIds")]
    [InlineData("""{"productIds":["a"]""", "body")]
    [InlineData("""["a"]""", "body")]
    public async Task QueryStocks_BadBody_400NamingTheField(string body, string field)
    {
        using var response = await Http.PostRawAsync("/api/stock/query", body);
        await response.AssertValidationErrorAsync(field);
    }

    private async Task<(long Available, bool LowStock, long Threshold)> LowStockAsync(string productId)
    {
        using var response = await Http.GetAsync(new Uri($"/api/stock/{productId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stock = (await response.BodyAsync())!;
        return (stock["available"]!.GetValue<long>(), stock["lowStock"]!.GetValue<bool>(), stock["lowStockThreshold"]!.GetValue<long>());
    }

    private async Task PostAsync(string productId, string partialEvent)
    {
        var inventoryEvent = JsonNode.Parse(partialEvent)!.AsObject();
        inventoryEvent["productId"] = productId;
        using var response = await Http.PostRawAsync("/api/events?wait=true", inventoryEvent.ToJsonString());
        var body = await response.BodyAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"posting {inventoryEvent.ToJsonString()}: {(int)response.StatusCode} {body}");
        Assert.Equal("Applied", body!["outcome"]!["status"]!.GetValue<string>());
    }
}
