using System.Globalization;
using InventoryOrleans.Api.Hosting;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.TestSupport;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Tests.Hosting;

/// <summary>
/// A host reachable beyond loopback with no Api__Keys refuses to start, and says how to set one — whichever setting
/// made Kestrel listen there (<c>--urls</c>, the port settings, <c>Kestrel:Endpoints</c>, <c>Api:GrpcUrl</c>), and an
/// endpoint no setting names either.
/// </summary>
[Collection(ApiClusterCollection.Name)]
public sealed class ExposureTests(ApiCluster cluster)
{
    [Theory]
    [InlineData("http://0.0.0.0:{0}", null)]
    [InlineData("http://[::]:{0}", null)]
    [InlineData("http://*:{0}", null)]
    [InlineData("http://+:{0}", null)]
    [InlineData("http://127.0.0.1:{0};http://192.0.2.10:{0}", null)]
    [InlineData("http://127.0.0.1:{0}", "http://0.0.0.0:{1}")]
    public async Task Start_ListeningBeyondLoopbackWithoutKeys_RefusesAndSaysHowToSetApiKeys(string urls, string? grpcUrl)
    {
        var ports = new object[] { FreePort.Next(), FreePort.Next() };
        var restUrls = string.Format(CultureInfo.InvariantCulture, urls, ports);
        var settings = cluster.Settings();
        if (grpcUrl is not null)
        {
            settings["Api:GrpcUrl"] = string.Format(CultureInfo.InvariantCulture, grpcUrl, ports);
        }

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiTestHost.StartAsync(cluster.Inventory.Grains, settings, urls: restUrls));

        Assert.Contains("Api__Keys", refused.Message, StringComparison.Ordinal);
        Assert.Contains(settings.GetValueOrDefault("Api:GrpcUrl") ?? restUrls.Split(';')[^1], refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5001")]
    [InlineData("http://127.9.8.7:5000", "http://localhost:5001")]
    [InlineData("http://localhost:5000;http://[::1]:5002", "http://[::1]:5001")]
    [InlineData("http://LOCALHOST:5000", "http://127.0.0.1:5001")]
    public void Validate_LoopbackOnlyWithoutKeys_Passes(string urls, string grpcUrl)
    {
        var result = new ApiExposureValidator(new RestUrls(urls.Split(';')), KestrelEndpointUrls.None).Validate(null, new ApiOptions { GrpcUrl = grpcUrl });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_BeyondLoopbackWithAKey_Passes()
    {
        var result = new ApiExposureValidator(new RestUrls(["http://0.0.0.0:5000"]), KestrelEndpointUrls.None).Validate(null, new ApiOptions { GrpcUrl = "http://0.0.0.0:5001", Keys = "k" });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("https://127.0.0.1:5000", "http://127.0.0.1:5001", "--urls")]
    [InlineData("not a url", "http://127.0.0.1:5001", "--urls")]
    [InlineData("http://127.0.0.1:5001", "http://127.0.0.1:5001", "Api__GrpcUrl")]
    public void Validate_UnusableAddresses_FailWithTheSettingToFix(string urls, string grpcUrl, string setting)
    {
        var result = new ApiExposureValidator(new RestUrls([urls]), KestrelEndpointUrls.None).Validate(null, new ApiOptions { GrpcUrl = grpcUrl });
        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:{0}")]
    [InlineData("http://*:{0}")]
    [InlineData("http://inventory.example:{0}")]
    public async Task Start_KestrelEndpointBeyondLoopbackWithoutKeys_RefusesNamingTheEndpointAndApiKeys(string url)
    {
        var settings = cluster.Settings(("Kestrel:Endpoints:Pub:Url", string.Format(CultureInfo.InvariantCulture, url, FreePort.Next())));

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiTestHost.StartAsync(cluster.Inventory.Grains, settings));

        Assert.Contains("Api__Keys", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Kestrel__Endpoints__Pub__Url", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_KestrelEndpointBeyondLoopbackWithAKey_ServesThere()
    {
        var port = FreePort.Next();
        var settings = cluster.Settings(("Kestrel:Endpoints:Pub:Url", $"http://0.0.0.0:{port}"), ("Api:Keys", "k"));

        await using var api = await ApiTestHost.StartAsync(cluster.Inventory.Grains, settings);
        using var http = new HttpClient();
        using var openApi = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/openapi/v1.json"));

        Assert.Equal(System.Net.HttpStatusCode.OK, openApi.StatusCode);
    }

    [Fact]
    public async Task Start_EndpointAddedInCodeAfterTheApiSetupWithoutKeys_IsRefusedBeforeKestrelBindsIt()
    {
        var port = FreePort.Next();

        // No setting names it: only the check of each endpoint Kestrel creates can see it.
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiTestHost.StartAsync(
            cluster.Inventory.Grains,
            cluster.Settings(),
            compose: builder => builder.Services.PostConfigure<KestrelServerOptions>(kestrel => kestrel.ListenAnyIP(port))));

        Assert.Contains("Api__Keys", refused.Message, StringComparison.Ordinal);
        Assert.Contains($":{port} (an endpoint Kestrel was about to bind)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_EndpointAddedInCodeBeforeTheApiSetupWithoutKeys_FailsOnceKestrelReportsItBound()
    {
        var port = FreePort.Next();

        // Created before the API's Kestrel setup, it escapes the check at bind: the check of the bound addresses sees it.
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiTestHost.StartAsync(
            cluster.Inventory.Grains,
            cluster.Settings(),
            compose: builder => builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.ListenAnyIP(port))));

        Assert.Contains("Api__Keys", refused.Message, StringComparison.Ordinal);
        Assert.Contains($":{port} (bound by Kestrel)", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5002")]
    [InlineData("https://*:5443")]
    [InlineData("http://inventory.example:5002")]
    public void Validate_KestrelEndpointBeyondLoopbackWithoutKeys_FailsNamingTheSettingAndApiKeys(string url)
    {
        var result = new ApiExposureValidator(new RestUrls([RestUrls.Default]), Endpoints(("Pub", url))).Validate(null, new ApiOptions());

        Assert.True(result.Failed);
        Assert.Contains("Api__Keys", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"{url} (Kestrel__Endpoints__Pub__Url)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5002")]
    [InlineData("https://localhost:5443")]
    [InlineData("http://[::1]:5002")]
    [InlineData("http://unix:/tmp/inventory.sock")]
    public void Validate_KestrelEndpointOnLoopbackWithoutKeys_Passes(string url)
    {
        var result = new ApiExposureValidator(new RestUrls([RestUrls.Default]), Endpoints(("Pub", url))).Validate(null, new ApiOptions());
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_KestrelEndpointBeyondLoopbackWithAKey_Passes()
    {
        var result = new ApiExposureValidator(new RestUrls([RestUrls.Default]), Endpoints(("Pub", "http://0.0.0.0:5002"))).Validate(null, new ApiOptions { Keys = "k" });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_KestrelEndpointWithoutAUrl_FailsNamingTheSetting()
    {
        var result = new ApiExposureValidator(new RestUrls([RestUrls.Default]), Endpoints(("Pub", null))).Validate(null, new ApiOptions { Keys = "k" });

        Assert.True(result.Failed);
        Assert.Contains("Kestrel__Endpoints__Pub__Url", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http_ports", "8080")]
    [InlineData("HTTP_PORTS", "8080; 8081")]
    public void Validate_HttpPortsWithoutKeys_FailsNamingThePortSettingAndApiKeys(string key, string ports)
    {
        var rest = RestUrls.From(Configuration((key, ports)));

        var result = new ApiExposureValidator(rest, KestrelEndpointUrls.None).Validate(null, new ApiOptions());

        Assert.True(result.Failed);
        Assert.Contains("Api__Keys", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"http://*:8080 ({RestUrls.PortsSetting})", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HttpsPorts_FailsSayingToTerminateTlsInFront()
    {
        var result = new ApiExposureValidator(RestUrls.From(Configuration(("https_ports", "443"))), KestrelEndpointUrls.None).Validate(null, new ApiOptions { Keys = "k" });

        Assert.True(result.Failed);
        Assert.Contains("'https://*:443' is not http://", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void From_PortsAndNoUrls_EveryInterfaceAsTheHostHandsThemToTheServer()
    {
        var rest = RestUrls.From(Configuration(("http_ports", " 8080;8081 "), ("https_ports", "8443")));

        Assert.Equal(["http://*:8080", "http://*:8081", "https://*:8443"], rest.Values);
        Assert.Equal(RestUrls.PortsSetting, rest.Setting);
    }

    [Fact]
    public void From_UrlsAndPorts_UrlsWin()
    {
        var rest = RestUrls.From(Configuration(("urls", "http://127.0.0.1:5000"), ("http_ports", "8080")));

        Assert.Equal(["http://127.0.0.1:5000"], rest.Values);
        Assert.Equal(RestUrls.UrlsSetting, rest.Setting);
    }

    [Fact]
    public void From_KestrelEndpointsSection_EveryEndpointWithItsUrl()
    {
        var endpoints = KestrelEndpointUrls.From(Configuration(("Kestrel:Endpoints:Pub:Url", "http://0.0.0.0:8080"), ("Kestrel:Endpoints:Admin:Protocols", "Http1")));

        Assert.Equal("http://0.0.0.0:8080", endpoints.Urls["Pub"]);
        Assert.Null(endpoints.Urls["Admin"]);
    }

    private static KestrelEndpointUrls Endpoints(params (string Name, string? Url)[] endpoints) =>
        new(endpoints.ToDictionary(e => e.Name, e => e.Url));

    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).Build();
}
