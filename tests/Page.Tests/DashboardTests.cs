using System.Net;
using InventoryOrleans.Page.Tests.Support;
using Microsoft.Playwright;

namespace InventoryOrleans.Page.Tests;

/// <summary>
/// The Orleans dashboard of the silo (<c>/dashboard</c>) in the browser, with <c>Api__Keys</c> set: without the key
/// the browser is challenged for Basic credentials; with the key as the password it opens and lists the product grains.
/// </summary>
[Collection(PageClusterCollection.Name)]
public sealed class DashboardTests(PageCluster cluster)
{
    private static readonly float Patience = 60_000;

    [Fact]
    public async Task Dashboard_WithoutTheKey_AnswersABasicChallenge_SoTheBrowserAsksForCredentials()
    {
        await using var session = await cluster.Browser.OpenAsync();
        var url = new Uri(cluster.Silo.BaseAddress, "/dashboard/").ToString();

        // A headless browser has nobody to ask: Chromium gives the navigation up as lacking credentials.
        var refused = await Assert.ThrowsAsync<PlaywrightException>(() => session.Page.GotoAsync(url));
        Assert.Contains("ERR_INVALID_AUTH_CREDENTIALS", refused.Message, StringComparison.Ordinal);

        // What it was answered: 401 with a Basic challenge first (what makes a browser prompt), and no dashboard.
        var answer = await session.Context.APIRequest.GetAsync(url);
        Assert.Equal((int)HttpStatusCode.Unauthorized, answer.Status);
        Assert.StartsWith("Basic ", answer.Headers["www-authenticate"], StringComparison.Ordinal);
        Assert.DoesNotContain("Orleans Dashboard", await answer.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WithAWrongKey_StaysClosed()
    {
        await using var session = await cluster.Browser.OpenAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = "operator", Password = "not-the-key" },
        });
        var response = await session.Page.GotoAsync(new Uri(cluster.Silo.BaseAddress, "/dashboard/").ToString());
        Assert.Equal((int)HttpStatusCode.Unauthorized, response!.Status);
    }

    [Fact]
    public async Task Dashboard_WithTheKeyAsPassword_OpensAndListsProductGrain()
    {
        // A product grain is active once a product was read or changed.
        await cluster.ApplyAsync(PageHost.Silo, $$"""{"type":"Receipt","productId":"{{Products.New("page-dashboard")}}","quantity":1}""");
        await using var session = await cluster.Browser.OpenAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = "operator", Password = PageCluster.Key },
        });
        var response = await session.Page.GotoAsync(new Uri(cluster.Silo.BaseAddress, "/dashboard/#/grains").ToString());
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        Assert.Equal("Orleans Dashboard", await session.Page.TitleAsync());

        // The grains view: activations by grain type.
        await session.Page.GetByRole(AriaRole.Cell, new() { Name = "ProductGrain", Exact = true }).First.WaitForAsync(new() { Timeout = Patience });
    }
}
