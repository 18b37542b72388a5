using System.Net;
using System.Net.Http.Headers;
using System.Text;
using InventoryOrleans.Api.Auth;
using InventoryOrleans.Api.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace InventoryOrleans.Api.Tests.Auth;

/// <summary>Api__Keys: writes need <c>Authorization: Bearer &lt;key&gt;</c>, the dashboard policy also takes HTTP Basic; reads stay open.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class ApiKeyTests(ApiCluster cluster) : IAsyncLifetime
{
    private const string DashboardProbe = "/dashboard-policy-probe";
    private ApiTestHost? _secured;

    private ApiTestHost Secured => _secured!;

    public async Task InitializeAsync() =>
        _secured = await cluster.StartHostAsync(
            cluster.Settings(("Api:Keys", " key-one , key-two ")),
            map: app => app.MapGet(DashboardProbe, () => TypedResults.Ok("dashboard")).RequireAuthorization(ApiPolicies.Dashboard));

    public async Task DisposeAsync() => await Secured.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer key-three")]
    [InlineData("Bearer key-on")]
    [InlineData("Bearer key-one-and-more")]
    [InlineData("Bearer key-one,key-two")]
    [InlineData("Token key-one")]
    [InlineData("key-one")]
    [InlineData("Basic a2V5LW9uZTprZXktb25l")]
    public async Task Post_WithoutAValidBearerKey_401WithABearerChallengeAndNothingProduced(string? authorization)
    {
        var before = cluster.InputEnds();
        foreach (var (path, body) in new[]
        {
            ("/api/events", $$"""{"type":"Receipt","productId":"{{Products.New("auth")}}","quantity":1}"""),
            ("/api/sales?wait=true", $$"""{"productId":"{{Products.New("auth")}}","quantity":1}"""),
        })
        {
            using var request = Post(path, body, authorization);
            using var response = await Secured.Http.SendAsync(request);

            var problem = await response.AssertProblemAsync(401);
            Assert.Equal(["Bearer"], response.Headers.WwwAuthenticate.Select(h => h.ToString()));
            Assert.Contains("Bearer", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(before, cluster.InputEnds());
    }

    [Theory]
    [InlineData("Bearer key-one")]
    [InlineData("bearer key-two")]
    [InlineData("BEARER   key-one  ")]
    public async Task Post_WithAConfiguredKey_Accepted(string authorization)
    {
        using var request = Post("/api/events", $$"""{"type":"Receipt","productId":"{{Products.New("auth-ok")}}","quantity":1}""", authorization);
        using var response = await Secured.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        using var sale = Post("/api/sales?wait=true", $$"""{"productId":"{{Products.New("auth-ok")}}","quantity":1}""", authorization);
        using var decided = await Secured.Http.SendAsync(sale);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer key-three", HttpStatusCode.Unauthorized)]
    [InlineData("Basic a2V5LW9uZTprZXktb25l", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer key-two", HttpStatusCode.Accepted)]
    public async Task PutLowStockThreshold_IsAWrite_401WithoutAValidBearerKeyAndNothingProduced(string? authorization, HttpStatusCode expected)
    {
        var before = cluster.InputEnds();
        using var request = Post($"/api/stock/{Products.New("auth-threshold")}/low-stock-threshold", """{"threshold":3}""", authorization);
        request.Method = HttpMethod.Put;
        using var response = await Secured.Http.SendAsync(request);

        if (expected == HttpStatusCode.Accepted)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return;
        }

        await response.AssertProblemAsync(401);
        Assert.Equal(["Bearer"], response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        Assert.Equal(before, cluster.InputEnds());
    }

    [Fact]
    public async Task Reads_WithoutAKey_StayOpen()
    {
        using var one = await Secured.Http.GetAsync(new Uri($"/api/stock/{Products.New("open")}", UriKind.Relative));
        await one.AssertProblemAsync(404);
        using var batch = await Secured.Http.GetAsync(new Uri($"/api/stock?ids={Products.New("open")}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        using var query = await Secured.Http.PostRawAsync("/api/stock/query", """{"productIds":["a"]}""");
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        using var lowStock = await Secured.Http.GetAsync(new Uri("/api/low-stock", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, lowStock.StatusCode);
        using var openApi = await Secured.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        await using var watch = await SseClient.OpenAsync(Secured.BaseAddress, $"/api/stock/{Products.New("open")}/changes");
        Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);

        // A wrong key on a read changes nothing either.
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/stock?ids=x", UriKind.Relative));
        wrongKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nope");
        using var read = await Secured.Http.SendAsync(wrongKey);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task DashboardPolicy_NoKey_401WithABasicChallengeFirstSoABrowserPrompts()
    {
        using var response = await Secured.Http.GetAsync(new Uri(DashboardProbe, UriKind.Relative));

        await response.AssertProblemAsync(401);
        var challenges = response.Headers.WwwAuthenticate.Select(h => h.Scheme).ToList();
        Assert.Equal(["Basic", "Bearer"], challenges);
    }

    [Theory]
    [InlineData("Basic", "admin:key-one", HttpStatusCode.OK)]
    [InlineData("Basic", ":key-two", HttpStatusCode.OK)]
    [InlineData("basic", "anyone:key-two", HttpStatusCode.OK)]
    [InlineData("Bearer", null, HttpStatusCode.OK)]
    [InlineData("Basic", "admin:key-three", HttpStatusCode.Unauthorized)]
    [InlineData("Basic", "key-one", HttpStatusCode.Unauthorized)]
    [InlineData("Basic", "key-one:", HttpStatusCode.Unauthorized)]
    public async Task DashboardPolicy_BearerOrBasicWithTheKeyAsPassword(string scheme, string? userColonPassword, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(DashboardProbe, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue(
            scheme,
            userColonPassword is null ? "key-one" : Convert.ToBase64String(Encoding.UTF8.GetBytes(userColonPassword)));
        using var response = await Secured.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task NoKeysConfigured_WritesAndTheDashboardPolicyAreOpen()
    {
        await using var open = await cluster.StartHostAsync(
            cluster.Settings(),
            map: app => app.MapGet(DashboardProbe, () => TypedResults.Ok("dashboard")).RequireAuthorization(ApiPolicies.Dashboard));

        using var anonymous = await open.Http.PostRawAsync("/api/events", $$"""{"type":"Receipt","productId":"{{Products.New("no-keys")}}","quantity":1}""");
        Assert.Equal(HttpStatusCode.Accepted, anonymous.StatusCode);
        using var withAnyHeader = Post("/api/sales", $$"""{"productId":"{{Products.New("no-keys")}}","quantity":1}""", "Bearer whatever");
        using var accepted = await open.Http.SendAsync(withAnyHeader);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using var dashboard = await open.Http.GetAsync(new Uri(DashboardProbe, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    private static HttpRequestMessage Post(string path, string body, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }
}
