extern alias server;

using System.Globalization;
using System.Net;
using InventoryOrleans.Bench.Api.Baseline;
using InventoryOrleans.Bench.Hosting;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Silo.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using server::InventoryOrleans.Api.Auth;
using server::InventoryOrleans.Api.Hosting;

namespace InventoryOrleans.Bench.Api;

/// <summary>
/// One host serving the real API on a silo, as the embedded default does: the silo's own composition
/// (<see cref="SiloHostingExtensions.AddSilo"/>: Orleans, product grains on Redis, the ingest) with
/// <c>AddInventoryApi</c> / <c>MapInventoryApi</c> on it, REST on an HTTP/1.1 endpoint and gRPC on an HTTP/2-only (h2c)
/// one; plus the baselines on the same endpoints: <see cref="TrivialPath"/> (REST) and <see cref="BaselineService"/> (gRPC).
/// </summary>
internal sealed class ApiBenchHost : IAsyncDisposable
{
    /// <summary>The trivial REST endpoint: a constant net-stock JSON.</summary>
    public const string TrivialPath = "/bench/trivial";

    private const string TrivialJson = """{"productId":"baseline","onHand":10,"reserved":0,"inTransit":0,"available":10,"version":1,"lastEventId":"baseline-1","updatedAt":"1970-01-01T00:00:00.0000000Z","locations":{"default":10}}""";

    private readonly WebApplication _app;

    private ApiBenchHost(WebApplication app, int restPort, int grpcPort)
    {
        _app = app;
        RestAddress = new Uri($"http://127.0.0.1:{restPort}");
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    public Uri RestAddress { get; }

    public Uri GrpcAddress { get; }

    /// <summary>The partitions this silo consumes.</summary>
    public IReadOnlySet<int> OwnedPartitions => _app.Services.GetRequiredService<PartitionOwnership>().Owned;

    /// <summary>Starts the host; <paramref name="settings"/> add to (or override) its configuration.</summary>
    public static async Task<ApiBenchHost> StartAsync(string bootstrap, string redis, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var restPort = FreePort.Next();
        var grpcPort = FreePort.Next();
        // REST on --urls and gRPC on Api:GrpcUrl, as the executables bind them (ApiKestrelSetup).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--urls", $"http://127.0.0.1:{restPort}"],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrap,
            ["Kafka:ClientId"] = "bench-api-silo",
            ["Redis:ConnectionString"] = redis,
            ["Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Api:GrpcUrl"] = $"http://127.0.0.1:{grpcPort}",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Warnings only (the silo's appsettings.json beside the benchmark says Information); per-call logs would be billed to the API.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(null, LogLevel.Warning)
            .AddFilter("Orleans.Runtime.Silo", LogLevel.Error).AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);

        builder.AddSilo();
        builder.AddInventoryApi();

        var app = builder.Build();
        app.MapInventoryApi();
        app.MapGrpcService<BaselineService>();
        app.MapGet(TrivialPath, () => Results.Text(TrivialJson, "application/json"));
        await app.StartAsync();
        return new ApiBenchHost(app, restPort, grpcPort);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
