using System.Collections.Concurrent;
using System.Text;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Telemetry.Tests.Support;
using InventoryOrleans.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace InventoryOrleans.Telemetry.Tests.Tracing;

/// <summary>
/// Where a host's traces go (<see cref="InventoryTracingExtensions.AddInventoryTracing"/>): by OTLP to
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (here OTLP/HTTP to a receiver of the test's own), under <c>OTEL_SERVICE_NAME</c>;
/// without the endpoint, nowhere — nothing is even sampled; and never the scrapes and probes.
/// </summary>
public sealed class TracingExportTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddInventoryTracing_OtlpEndpointSet_ExportsTheRequestsSpanThereUnderTheConfiguredServiceName()
    {
        var received = new ConcurrentQueue<(string Path, string? ContentType, byte[] Body)>();
        await using var receiver = await StartAsync(app => app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue((request.Path, request.ContentType, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        }));
        await using var host = await StartAsync(
            app => app.MapGet("/ping", () => "pong"),
            new Dictionary<string, string?>
            {
                [InventoryTracingExtensions.OtlpEndpointKey] = receiver.Address,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_SERVICE_NAME"] = "inventory-otlp-test",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            });

        using var http = new HttpClient { BaseAddress = new Uri(host.Address) };
        Assert.Equal("pong", await http.GetStringAsync("/ping"));

        await Eventually.TrueAsync(() => received.Any(r => Contains(r.Body, "/ping")), Patience, "the receiver got the request's span by OTLP");
        var export = received.First(r => Contains(r.Body, "/ping"));
        Assert.Equal("/v1/traces", export.Path);
        Assert.Equal("application/x-protobuf", export.ContentType);

        // Protobuf keeps strings as UTF-8 bytes: the resource's service.name is in the request as it was configured.
        Assert.True(Contains(export.Body, "inventory-otlp-test"), "service.name from OTEL_SERVICE_NAME");
    }

    [Fact]
    public async Task AddInventoryTracing_NoOtlpEndpoint_SamplesNothing()
    {
        var spans = new ExportedSpans();
        await using var host = await StartAsync(
            app => app.MapGet("/recorded", () => (System.Diagnostics.Activity.Current?.Recorded ?? false).ToString()),
            tracing: tracing => tracing.AddInMemoryExporter(spans));

        using var http = new HttpClient { BaseAddress = new Uri(host.Address) };

        // The request's own activity says whether it is sampled while it runs; what ends is exported as it ends.
        Assert.Equal(bool.FalseString, await http.GetStringAsync("/recorded"));
        await Eventually.TrueAsync(() => host.Requests >= 1, Patience, "the request was served");
        Assert.Empty(spans.Snapshot());
    }

    [Fact]
    public async Task AddInventoryTracing_ScrapesAndProbes_AreNotTraced()
    {
        var spans = new ExportedSpans();
        await using var host = await StartAsync(
            app =>
            {
                app.MapGet("/ping", () => "pong");
                app.MapGet("/healthz", () => "alive");
                app.MapGet("/readyz", () => "ready");
                app.MapGet(InventoryMetricsExtensions.ScrapePath, () => "");
            },
            tracing: tracing => tracing.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans));

        using var http = new HttpClient { BaseAddress = new Uri(host.Address) };
        foreach (var path in new[] { "/healthz", "/readyz", InventoryMetricsExtensions.ScrapePath, "/ping" })
        {
            await http.GetStringAsync(path);
        }

        await Eventually.TrueAsync(() => spans.Snapshot().Count >= 1, Patience, "the traced request's span ended");
        Assert.Equal(["/ping"], spans.Snapshot().Select(s => s.GetTagItem("url.path") as string));
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static async Task<WebHost> StartAsync(Action<WebApplication> map, Dictionary<string, string?>? settings = null, Action<TracerProviderBuilder>? tracing = null)
    {
        var address = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls(address);
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        if (settings is not null || tracing is not null)
        {
            builder.AddInventoryTracing("inventory-test");
        }

        if (tracing is not null)
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing);
        }

        var app = builder.Build();
        var host = new WebHost(app, address);
        app.Use(async (context, next) =>
        {
            await next(context);
            host.Served();
        });
        map(app);
        await app.StartAsync();
        return host;
    }

    private sealed class WebHost(WebApplication app, string address) : IAsyncDisposable
    {
        private int _requests;

        public string Address { get; } = address;

        public int Requests => Volatile.Read(ref _requests);

        public void Served() => Interlocked.Increment(ref _requests);

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
