using System.Net.Http.Headers;
using InventoryOrleans.Api.Hosting;
using InventoryOrleans.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Api.Tests.Support;

/// <summary>
/// An Api host composed like the Api executable (<c>AddInventoryApi</c> / <c>MapInventoryApi</c>, Kestrel on free
/// loopback ports: REST and gRPC), except that its Orleans client is one handed in — the test cluster's gateway
/// client (a separate Orleans client, as a standalone Api host is) or a silo's own (the co-hosted case).
/// </summary>
public sealed class ApiTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiTestHost(WebApplication app, Uri baseAddress, Uri grpcAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        GrpcAddress = grpcAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(90) };
    }

    public Uri BaseAddress { get; }

    /// <summary>The h2c endpoint of <c>Api:GrpcUrl</c>.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>A client of the REST endpoint (no Authorization header).</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Builds and starts a host. <paramref name="settings"/> are configuration keys (<c>Kafka:BootstrapServers</c>,
    /// <c>Api:Keys</c>, …); <c>--urls</c> and <c>Api:GrpcUrl</c> default to free loopback ports. <paramref name="compose"/>
    /// adds to the builder before the API is added.
    /// </summary>
    public static async Task<ApiTestHost> StartAsync(
        IClusterClient orleans,
        IReadOnlyDictionary<string, string?> settings,
        TimeProvider? time = null,
        string? urls = null,
        Action<WebApplication>? map = null,
        Action<WebApplicationBuilder>? compose = null,
        Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(orleans);
        ArgumentNullException.ThrowIfNull(settings);
        var app = Build(orleans, settings, time, urls ?? $"http://127.0.0.1:{FreePort.Next()}", out var rest, out var grpc, compose, services);
        map?.Invoke(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ApiTestHost(app, rest, grpc);
    }

    /// <summary>
    /// Builds a host without starting it (for start-up refusals); <paramref name="compose"/> runs on the builder before
    /// the API is added, <paramref name="services"/> adds to its services after.
    /// </summary>
    public static WebApplication Build(
        IClusterClient orleans,
        IReadOnlyDictionary<string, string?> settings,
        TimeProvider? time,
        string urls,
        out Uri rest,
        out Uri grpc,
        Action<WebApplicationBuilder>? compose = null,
        Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--urls", urls],
            EnvironmentName = Environments.Production,
        });
        var configuration = new Dictionary<string, string?>(settings);
        configuration.TryAdd("Api:GrpcUrl", $"http://127.0.0.1:{FreePort.Next()}");

        // Waits are not what most tests measure: a loaded two-core machine must not turn a slow decision into a 504.
        // (Unless the test sets it, in either key: the two disagreeing would refuse the start.)
        if (!configuration.ContainsKey("Api:OutcomeTimeoutMs"))
        {
            configuration.TryAdd("Api:OutcomeTimeout", "00:01:00");
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(orleans);
        builder.Services.AddSingleton<IGrainFactory>(orleans);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        compose?.Invoke(builder);
        builder.AddInventoryApi();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapInventoryApi();
        rest = new Uri(urls.Split(';')[0]);
        grpc = new Uri(configuration["Api:GrpcUrl"]!);
        return app;
    }

    /// <summary>A client of the REST endpoint sending <c>Authorization: Bearer <paramref name="key"/></c>.</summary>
    public HttpClient ClientWithKey(string key)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
