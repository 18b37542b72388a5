using System.Diagnostics;
using System.Net;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Page.Tests.Support;
using InventoryOrleans.Silo.Tests;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace InventoryOrleans.Page.Tests;

/// <summary>
/// The inventory page at <c>/</c> in headless Chromium, on the silo and on the standalone Api host: it loads clean,
/// refreshes itself every second, shows a product's stock change live, the DLQ count rising and the products that
/// went low.
/// </summary>
[Collection(PageClusterCollection.Name)]
public sealed class InventoryPageTests(PageCluster cluster, ITestOutputHelper output)
{
    // What the issue promises: a sale shows within 2 s, without a reload.
    private static readonly TimeSpan SaleShown = TimeSpan.FromSeconds(2);

    // Not promised as a bound: the first subscription, the stats grain's next round, the board reading inventory.alerts.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string StatsShown = "document.querySelector('#silos tbody th') !== null && document.getElementById('events-per-second').textContent !== '–'";

    [Theory]
    [InlineData(PageHost.Silo)]
    [InlineData(PageHost.Api)]
    public async Task Page_Loads_ShowsTheClusterAndRefreshesEverySecondWithoutConsoleErrorsOrFailedRequests(PageHost host)
    {
        await using var session = await cluster.Browser.OpenAsync();
        var response = await session.Page.GotoAsync(cluster.AddressOf(host).ToString());
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        Assert.Equal("Inventory", await session.Page.TitleAsync());
        await session.WaitUntilAsync(StatsShown, Patience);

        // Over 6 s the page asks for the stats and the low-stock list at least once a second (requests start 1 s apart).
        var from = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(6));
        var to = DateTime.UtcNow;
        Assert.InRange(session.RequestsOf("/api/ops/stats").Count(at => at > from && at <= to), 5, 7);
        Assert.InRange(session.RequestsOf("/api/low-stock").Count(at => at > from && at <= to), 5, 7);

        // The one silo, its 12 partitions, Kafka and Redis reachable.
        var silo = session.Page.Locator("#silos tbody tr");
        Assert.Equal(1, await silo.CountAsync());
        Assert.Contains("0–11", await silo.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("reachable", await session.TextAsync("#kafka-state"));
        Assert.Equal("reachable", await session.TextAsync("#redis-state"));
        Assert.Equal(12, await session.Page.Locator("#partition-lag tbody tr").CountAsync());
        Assert.Equal(["events", "sales", "snapshots"], (await session.Page.Locator("#partition-lag thead th").AllInnerTextsAsync()).Skip(2));

        // The silo links its dashboard; the Api host, which has none, says where it is.
        Assert.Equal(host == PageHost.Silo, await session.Page.Locator("#dashboard-link").IsVisibleAsync());
        Assert.Equal(host == PageHost.Api, await session.Page.Locator("#dashboard-elsewhere").IsVisibleAsync());
        Assert.Equal("/dashboard", await session.Page.Locator("#dashboard-link").GetAttributeAsync("href"));
        Assert.Empty(session.Problems);
    }

    [Theory]
    [InlineData(PageHost.Silo)]
    [InlineData(PageHost.Api)]
    public async Task Page_SalePostedThroughTheApi_ChangesTheShownStockWithinTwoSecondsWithoutAReload(PageHost host)
    {
        var productId = Products.New("page-sale");
        await cluster.ApplyAsync(host, $$"""{"type":"Receipt","productId":"{{productId}}","quantity":40,"locationId":"store-7"}""");
        await using var session = await cluster.Browser.OpenAsync();
        await session.Page.GotoAsync(cluster.AddressOf(host).ToString());
        await session.Page.GetByLabel("Product id").FillAsync(productId);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Watch" }).ClickAsync();
        await session.WaitUntilAsync("document.getElementById('stock-version').textContent === '1'", Patience);
        Assert.Equal("40", await session.TextAsync("#stock-onhand"));
        Assert.Equal("40", await session.TextAsync("#stock-available"));
        Assert.Contains("store-7", await session.Page.Locator("#stock-locations tbody").InnerTextAsync(), StringComparison.Ordinal);
        Assert.EndsWith($"?product={productId}", session.Page.Url, StringComparison.Ordinal);
        await session.Page.EvaluateAsync("() => { window.pageMarker = 'not reloaded'; }");

        var clock = Stopwatch.StartNew();
        using (var sale = await cluster.PostAsync(host, "/api/sales", $$"""{"productId":"{{productId}}","quantity":3,"locationId":"store-7"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, sale.StatusCode);
        }

        try
        {
            await session.WaitUntilAsync("document.getElementById('stock-onhand').textContent === '37'", SaleShown - clock.Elapsed);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the page still showed on hand {await session.TextAsync("#stock-onhand")} {clock.Elapsed.TotalSeconds:0.00} s after the sale was posted");
        }

        var shownAfter = clock.Elapsed;
        output.WriteLine($"{host}: sale shown {shownAfter.TotalMilliseconds:0} ms after posting it");
        Assert.True(shownAfter <= SaleShown, $"the sale showed after {shownAfter.TotalSeconds:0.00} s, over {SaleShown.TotalSeconds} s");
        Assert.Equal("37", await session.TextAsync("#stock-available"));
        Assert.Equal("2", await session.TextAsync("#stock-version"));
        Assert.Equal("not reloaded", await session.Page.EvaluateAsync<string>("() => window.pageMarker"));
        Assert.Equal(2, await session.Page.Locator("#stock-changes tbody tr").CountAsync());
        Assert.Empty(session.Problems);
    }

    [Theory]
    [InlineData(PageHost.Silo)]
    [InlineData(PageHost.Api)]
    public async Task Page_MalformedMessageOnAnInputTopic_RaisesTheShownDlqCountByOne(PageHost host)
    {
        await using var session = await cluster.Browser.OpenAsync();
        await session.Page.GotoAsync(cluster.AddressOf(host).ToString());
        await session.WaitUntilAsync(StatsShown, Patience);
        var before = await session.CountAsync("#dlq-count") ?? throw new InvalidOperationException("no DLQ count shown");

        var productId = Products.New("page-dlq");
        cluster.Kafka.Produce(Topics.Sales, System.Text.Encoding.UTF8.GetBytes(productId), "{ this is not JSON"u8.ToArray());
        cluster.Kafka.Flush();

        await session.WaitUntilAsync($"document.getElementById('dlq-count').textContent === '{before + 1}'", Patience);
        Assert.Contains("NotJson", await session.Page.Locator("#dlq-by-reason").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), await session.TextAsync("#outcome-dead"));
        Assert.Empty(session.Problems);
    }

    [Theory]
    [InlineData(PageHost.Silo)]
    [InlineData(PageHost.Api)]
    public async Task Page_ProductGoesLow_IsListedUntilItRecovers_AndPickingItWatchesIt(PageHost host)
    {
        await using var session = await cluster.Browser.OpenAsync();
        await session.Page.GotoAsync(cluster.AddressOf(host).ToString());
        await session.WaitUntilAsync(StatsShown, Patience);

        // First stock 4 under the default threshold of 10: a Low alert.
        var productId = Products.New("page-low");
        await cluster.ApplyAsync(host, $$"""{"type":"Receipt","productId":"{{productId}}","quantity":4}""");
        var row = session.Page.Locator($"#low-stock tbody tr[data-product='{productId}']");
        await row.WaitForAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.Equal([productId, "4", "10", "1"], (await row.Locator("th, td").AllInnerTextsAsync()).Take(4).Select(t => t.Trim()));

        await row.GetByRole(AriaRole.Button, new() { Name = productId }).ClickAsync();
        await session.WaitUntilAsync("document.getElementById('stock-version').textContent === '1'", Patience);
        Assert.Equal(productId, await session.Page.GetByLabel("Product id").InputValueAsync());
        Assert.True(await session.Page.Locator("#product-low").IsVisibleAsync(), "the product shows as low");

        // Recovered: it leaves the list, and the watched product loses its low mark, without a reload.
        await cluster.ApplyAsync(host, $$"""{"type":"Receipt","productId":"{{productId}}","quantity":20}""");
        await row.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = (float)Patience.TotalMilliseconds });
        await session.WaitUntilAsync("document.getElementById('stock-available').textContent === '24'", Patience);
        Assert.False(await session.Page.Locator("#product-low").IsVisibleAsync(), "the product no longer shows as low");
        Assert.Empty(session.Problems);
    }

    [Fact]
    public async Task Page_ProductInTheAddress_IsWatchedOnLoad_AndAnUnknownOneWaitsForItsFirstChange()
    {
        var productId = Products.New("page-url");
        await using var session = await cluster.Browser.OpenAsync();
        await session.Page.GotoAsync(new Uri(cluster.AddressOf(PageHost.Api), $"/?product={productId}").ToString());
        await session.WaitUntilAsync("document.getElementById('product-live').textContent === 'live'", Patience);
        Assert.Contains("No stock", await session.TextAsync("#product-status"), StringComparison.Ordinal);
        Assert.Equal("–", await session.TextAsync("#stock-onhand"));

        await cluster.ApplyAsync(PageHost.Api, $$"""{"type":"Receipt","productId":"{{productId}}","quantity":5}""");
        await session.WaitUntilAsync("document.getElementById('stock-onhand').textContent === '5'", SiloTimeouts.Arrival);
        Assert.Empty(session.Problems);
    }
}
