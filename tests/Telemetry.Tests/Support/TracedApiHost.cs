using InventoryOrleans.Api.Hosting;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Ingest.Tracing;
using InventoryOrleans.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace InventoryOrleans.Telemetry.Tests.Support;

/// <summary>
/// An Api host (<c>AddInventoryApi</c> / <c>MapInventoryApi</c> on free loopback ports) whose Orleans client is the
/// test cluster's, traced as every host is (<see cref="InventoryTracingExtensions.AddInventoryTracing"/>, here with the
/// ingest's source too) into OpenTelemetry's in-memory exporter, every span sampled. ActivitySource listeners are
/// process-wide, so it also records the spans of the test cluster's silos in this process — the ingest's and the
/// grains' — as the silo executable records its own.
/// </summary>
public sealed class TracedApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TracedApiHost(WebApplication app, Uri address, ExportedSpans spans)
    {
        _app = app;
        Spans = spans;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(90) };
    }

    public HttpClient Http { get; }

    /// <summary>Every span of the process that ended while the host ran.</summary>
    public ExportedSpans Spans { get; }

    public static async Task<TracedApiHost> StartAsync(IClusterClient orleans, string bootstrapServers)
    {
        var urls = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--urls", urls], EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Api:GrpcUrl"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Api:OutcomeTimeoutMs"] = "60000",
        });
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(orleans);
        builder.Services.AddSingleton<IGrainFactory>(orleans);
        builder.AddInventoryApi();
        builder.AddInventoryTracing("inventory-test", IngestActivitySource.Name);
        var spans = new ExportedSpans();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans));
        var app = builder.Build();
        app.MapInventoryApi();
        await app.StartAsync();
        return new TracedApiHost(app, new Uri(urls), spans);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
