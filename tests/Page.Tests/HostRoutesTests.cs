using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using InventoryOrleans.Page.Tests.Support;

namespace InventoryOrleans.Page.Tests;

/// <summary>
/// What the page stands on, over plain HTTP on both hosts: its files served from the Api assembly, the cluster stats
/// route, both open although the silo has API keys; and <c>/metrics</c> on the standalone Api host.
/// </summary>
[Collection(PageClusterCollection.Name)]
public sealed class HostRoutesTests(PageCluster cluster)
{
    [Theory]
    [InlineData(PageHost.Silo, "data-dashboard=\"/dashboard\"")]
    [InlineData(PageHost.Api, "data-dashboard=\"\"")]
    public async Task Page_OnEitherHost_IsServedOpenFromTheAssemblyWithItsFilesAndETags(PageHost host, string dashboard)
    {
        var address = cluster.AddressOf(host);
        using var page = await cluster.Http.GetAsync(address);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", page.Content.Headers.ContentType?.CharSet);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(dashboard, html, StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"/page/page.js\"></script>", html, StringComparison.Ordinal);

        foreach (var (file, type) in new[]
        {
            ("page.js", "text/javascript"), ("stock-watch.js", "text/javascript"), ("stats-view.js", "text/javascript"),
            ("sparkline.js", "text/javascript"), ("format.js", "text/javascript"), ("page.css", "text/css"), ("favicon.svg", "image/svg+xml"),
        })
        {
            using var asset = await cluster.Http.GetAsync(new Uri(address, "/page/" + file));
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"/page/{file}: {(int)asset.StatusCode}");
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-cache", asset.Headers.CacheControl?.ToString());

            // A browser revalidates: the same bytes answer 304.
            using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "/page/" + file));
            again.Headers.IfNoneMatch.Add(asset.Headers.ETag!);
            using var notModified = await cluster.Http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        using var missing = await cluster.Http.GetAsync(new Uri(address, "/page/missing.js"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData(PageHost.Silo)]
    [InlineData(PageHost.Api)]
    public async Task OpsStats_OnEitherHost_AnswersTheClusterStatsWithoutAKey(PageHost host)
    {
        var stats = await cluster.GetJsonAsync(host, "/api/ops/stats");

        var silo = stats.GetProperty("silos").EnumerateArray().Single();
        Assert.Equal(Enumerable.Range(0, 12), silo.GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32()));
        Assert.True(silo.GetProperty("kafka").GetProperty("ok").GetBoolean());
        Assert.True(silo.GetProperty("redis").GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, silo.GetProperty("pausedBecause").ValueKind);
        Assert.Equal(36, stats.GetProperty("lag").GetArrayLength());
        Assert.NotEqual(0, stats.GetProperty("history").GetArrayLength());
        var totals = stats.GetProperty("totals");
        foreach (var field in new[] { "messages", "eventsPerSecond", "applied", "duplicate", "rejected", "deadLettered", "totalLag", "pauses" })
        {
            Assert.True(totals.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number, $"totals.{field} is a number: {totals}");
        }

        Assert.Equal(JsonValueKind.Object, totals.GetProperty("rejectedByReason").ValueKind);
        Assert.Equal(JsonValueKind.Object, totals.GetProperty("deadLetteredByReason").ValueKind);
    }

    [Fact]
    public async Task OpenApi_ListsTheStatsRouteButNotThePage()
    {
        var paths = (await cluster.GetJsonAsync(PageHost.Api, "/openapi/v1.json")).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/ops/stats", out var stats) && stats.TryGetProperty("get", out _), "GET /api/ops/stats is documented");
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name == "/" || p.Name.StartsWith("/page", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_OnTheApiHost_ExportOrleansClientAspNetCoreRuntimeAndApiSeriesButNoIngest()
    {
        // Something for the HTTP server instruments to count first.
        using (await cluster.Http.GetAsync(new Uri(cluster.Api.BaseAddress, "/api/low-stock")))
        {
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cluster.Api.BaseAddress, "/metrics"));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("text/plain; version=0.0.4"));
        using var response = await cluster.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var families = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();

        Assert.Contains("target_info", families);
        Assert.Contains("service_name=\"inventory-api\"", text, StringComparison.Ordinal);
        Assert.Contains(families, f => f.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains("http_server_request_duration_seconds", families);
        Assert.Contains(families, f => f.StartsWith("dotnet_", StringComparison.Ordinal));

        // The API's own series (watches, the low-stock board) and nothing of the ingest, which runs on silos only.
        string[] api = ["inventory_low_stock_products", "inventory_watch_active", "inventory_watch_pending", "inventory_watch_overruns_total", "inventory_watch_subscriptions"];
        Assert.All(families.Where(f => f.StartsWith("inventory_", StringComparison.Ordinal)), f => Assert.Contains(f, api));
    }
}
