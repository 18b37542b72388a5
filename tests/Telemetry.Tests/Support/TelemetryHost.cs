using System.Net.Http.Headers;
using InventoryOrleans.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Telemetry.Tests.Support;

/// <summary>
/// The silo's telemetry (<see cref="TelemetryExtensions.AddInventoryTelemetry"/>, <see cref="TelemetryExtensions.MapInventoryTelemetry"/>)
/// in a web host of its own on a free port, because the test cluster's silos have no HTTP. OpenTelemetry listens to
/// meters by name, process-wide, so it exports the meters of the test cluster's silos in this process, as the silo
/// executable exports its own. Start it before the feed: a counter counts only what is recorded while it is listened to.
/// </summary>
public sealed class TelemetryHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private TelemetryHost(WebApplication app, Uri address)
    {
        _app = app;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<TelemetryHost> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddInventoryTelemetry();
        var app = builder.Build();
        app.MapInventoryTelemetry();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TelemetryHost(app, new Uri(address));
    }

    /// <summary>GET /metrics as Prometheus scrapes it (text format 0.0.4), parsed strictly.</summary>
    public async Task<PrometheusScrape> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("text/plain; version=0.0.4"));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
