using System.Net;
using System.Text.Json.Nodes;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>
/// PUT /api/stock/{productId}/low-stock-threshold: a <c>LowStockThreshold</c> event for the route's product, produced
/// to <c>inventory.events</c> like any posted event (so the threshold is on Kafka), with the same answers and waiting.
/// </summary>
[Collection(ApiClusterCollection.Name)]
public sealed class LowStockThresholdTests(ApiCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private HttpClient Http => cluster.Api.Http;

    [Fact]
    public async Task PutThreshold_WithoutWait_202AndALowStockThresholdEventForTheRoutesProductWithQuantityTheThreshold()
    {
        var productId = Products.New("threshold");
        using var response = await Http.PutRawAsync(
            $"/api/stock/{productId}/low-stock-threshold",
            """{"threshold":7,"eventId":"t-1","occurredAt":"2026-11-30T10:00:00Z","correlationId":"c-7","productId":"someone-else","type":"Receipt","quantity":99,"locationId":"x","source":"ignored"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/stock/{productId}", response.Headers.Location?.OriginalString);
        var posted = (await response.BodyAsync())!;
        Assert.Equal("t-1", posted["eventId"]!.GetValue<string>());
        Assert.Equal(Topics.Events, posted["topic"]!.GetValue<string>());
        var (key, record) = TopicReader.ReadAt(cluster.BootstrapServers, Topics.Events, posted["partition"]!.GetValue<int>(), posted["offset"]!.GetValue<long>());
        Assert.Equal(productId, key);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["type"] = "LowStockThreshold",
                ["productId"] = productId,
                ["quantity"] = "7",
                ["eventId"] = "t-1",
                ["occurredAt"] = "2026-11-30T10:00:00Z",
                ["correlationId"] = "c-7",
                ["source"] = "API",
            },
            record.ToDictionary(p => p.Key, p => p.Value!.ToString()));

        // The ingest applies it: the product's own threshold is in force (its first change: available 0, so low).
        await Eventually.TrueAsync(
            async () =>
            {
                using var stock = await Http.GetAsync(new Uri($"/api/stock/{productId}", UriKind.Relative));
                return stock.StatusCode == HttpStatusCode.OK && (await stock.BodyAsync())!["lowStockThreshold"]!.GetValue<long>() == 7;
            },
            Patience,
            $"{productId} has threshold 7");
    }

    [Fact]
    public async Task PutThreshold_WaitTrue_200AppliedWithTheStockJudgedByTheNewThresholdAndOneAlertPerCrossing()
    {
        var productId = Products.New("threshold-wait");
        using var receipt = await Http.PostRawAsync("/api/events?wait=true", $$"""{"type":"Receipt","productId":"{{productId}}","quantity":20}""");
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        Assert.False((await receipt.BodyAsync())!["outcome"]!["stock"]!["lowStock"]!.GetValue<bool>());

        using var raised = await Http.PutRawAsync($"/api/stock/{productId}/low-stock-threshold?wait=true", """{"threshold":25}""");
        using var lowered = await Http.PutRawAsync($"/api/stock/{productId}/low-stock-threshold?wait=true", """{"threshold":5}""");

        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        var up = (await raised.BodyAsync())!["outcome"]!;
        Assert.Equal(("Applied", 2L), (up["status"]!.GetValue<string>(), up["version"]!.GetValue<long>()));
        Assert.Equal((20L, true, 25L), (up["stock"]!["available"]!.GetValue<long>(), up["stock"]!["lowStock"]!.GetValue<bool>(), up["stock"]!["lowStockThreshold"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.OK, lowered.StatusCode);
        var down = (await lowered.BodyAsync())!["outcome"]!;
        Assert.Equal(("Applied", 3L), (down["status"]!.GetValue<string>(), down["version"]!.GetValue<long>()));
        Assert.Equal((false, 5L), (down["stock"]!["lowStock"]!.GetValue<bool>(), down["stock"]!["lowStockThreshold"]!.GetValue<long>()));

        // A threshold change is a change like any other: raised above the available stock it crosses, and back.
        List<JsonObject> alerts = [];
        await Eventually.TrueAsync(() => (alerts = TopicReader.ValuesOf(cluster.Kafka, Topics.Alerts, productId)).Count >= 2, Patience, $"two alerts of {productId}");
        Assert.Equal(
            [("Low", 20L, 25L, 2L), ("Recovered", 20L, 5L, 3L)],
            alerts.Select(a => (a["state"]!.GetValue<string>(), a["available"]!.GetValue<long>(), a["threshold"]!.GetValue<long>(), a["version"]!.GetValue<long>())));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"threshold":null}""")]
    [InlineData("""{"threshold":-1}""")]
    [InlineData("""{"threshold":2.5}""")]
    [InlineData("""{"threshold":1e2}""")]
    [InlineData("""{"threshold":99999999999999999999}""")]
    [InlineData("""{"threshold":1000000001}""")]
    [InlineData("""{"threshold":9223372036854775807}""")]
    [InlineData("""{"threshold":"5"}""")]
    [InlineData("""{"threshold":true}""")]
    [InlineData("""{"threshold":[5]}""")]
    [InlineData("""{"quantity":5}""")]
    public async Task PutThreshold_NotAWholeNumberFromZeroToOneBillion_400NamingThresholdAndNothingProduced(string body)
    {
        var before = cluster.InputEnds();
        using var response = await Http.PutRawAsync($"/api/stock/{Products.New("threshold-bad")}/low-stock-threshold", body);

        Assert.Contains("threshold", await response.AssertValidationErrorAsync("threshold"), StringComparison.Ordinal);
        Assert.Equal(before, cluster.InputEnds());
    }

    [Fact]
    public async Task PutThreshold_OneBillion_202AndTheEventCarriesIt()
    {
        var productId = Products.New("threshold-max");
        using var response = await Http.PutRawAsync($"/api/stock/{productId}/low-stock-threshold", """{"threshold":1000000000}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var posted = (await response.BodyAsync())!;
        var (_, record) = TopicReader.ReadAt(cluster.BootstrapServers, Topics.Events, posted["partition"]!.GetValue<int>(), posted["offset"]!.GetValue<long>());
        Assert.Equal(1_000_000_000, record["quantity"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("threshold-body", "", "not json", "body")]
    [InlineData("threshold-body", "", "[5]", "body")]
    [InlineData("threshold-wait", "?wait=maybe", """{"threshold":5}""", "wait")]
    [InlineData("threshold-event", "", """{"threshold":5,"occurredAt":"noon"}""", "occurredAt")]
    [InlineData("threshold-event", "", """{"threshold":5,"eventId":""}""", "eventId")]
    public async Task PutThreshold_OtherwiseInvalid_400NamingTheFieldAndNothingProduced(string prefix, string query, string body, string field)
    {
        var before = cluster.InputEnds();
        using var response = await Http.PutRawAsync($"/api/stock/{Products.New(prefix)}/low-stock-threshold{query}", body);

        await response.AssertValidationErrorAsync(field);
        Assert.Equal(before, cluster.InputEnds());
    }

    [Fact]
    public async Task PutThreshold_ProductIdOver128Characters_400NamingProductIdAndNothingProduced()
    {
        var before = cluster.InputEnds();
        using var response = await Http.PutRawAsync($"/api/stock/{new string('p', 129)}/low-stock-threshold", """{"threshold":5}""");

        await response.AssertValidationErrorAsync("productId");
        Assert.Equal(before, cluster.InputEnds());
    }
}
