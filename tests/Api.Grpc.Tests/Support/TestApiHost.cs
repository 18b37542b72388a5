extern alias server;

using Grpc.Net.Client;
using InventoryOrleans.TestSupport;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using server::InventoryOrleans.Api.Auth;
using server::InventoryOrleans.Api.Health;
using server::InventoryOrleans.Api.Hosting;

namespace InventoryOrleans.Api.Grpc.Tests.Support;

/// <summary>
/// An Api host for a test: a WebApplication composed with <c>AddInventoryApi</c> / <c>MapInventoryApi</c> and the Api
/// host's readiness checks (<c>AddApiChecks</c>, which <c>grpc.health.v1</c> answers from), whose Orleans client is the one given (the test cluster's gateway client, or a silo's own when the Api is co-hosted on it),
/// listening HTTP/2-only (h2c) on a free loopback port, with a Grpc.Net.Client channel to it.
/// </summary>
public sealed class TestApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApiHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
        Channel = GrpcChannel.ForAddress(Address);
        Client = new Inventory.InventoryClient(Channel);
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public GrpcChannel Channel { get; }

    public Inventory.InventoryClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a host producing to <paramref name="bootstrapServers"/>; <paramref name="settings"/> are configuration
    /// keys (<c>Api:Keys</c>, <c>Api:OutcomeTimeoutMs</c>, …); <paramref name="time"/> replaces the host's clock;
    /// <paramref name="services"/> adds to its services after the API.
    /// </summary>
    public static async Task<TestApiHost> StartAsync(IClusterClient orleans, string bootstrapServers, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(orleans);
        var port = FreePort.Next();
        // REST on a free port of its own too: left to its default (127.0.0.1:5000), concurrent hosts would collide.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--urls", $"http://127.0.0.1:{FreePort.Next()}"],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Kafka:ClientId"] = $"test-api-{port}",
            ["Api:GrpcUrl"] = $"http://127.0.0.1:{port}",

            // Tests that wait for a decision must not fail because a loaded machine took longer than the 5 s default.
            ["Api:OutcomeTimeoutMs"] = "30000",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Warnings and errors only: the silo's appsettings.json in the test's folder would make it Information.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(null, LogLevel.Warning);

        // The Api host is an Orleans client; here it is the test cluster's (or a silo's) own.
        builder.Services.AddSingleton(orleans);
        builder.Services.AddSingleton<IGrainFactory>(orleans);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddInventoryApi();
        builder.Services.AddHealthChecks().AddApiChecks();
        services?.Invoke(builder.Services);

        // Until the REST side registers the writes policy (API keys), an allow-all stand-in lets PostEvent's
        // [Authorize] resolve; once it is registered this adds nothing.
        builder.Services.AddAuthorization();
        builder.Services.PostConfigure<AuthorizationOptions>(o =>
        {
            if (o.GetPolicy(ApiPolicies.Writes) is null)
            {
                o.AddPolicy(ApiPolicies.Writes, policy => policy.RequireAssertion(_ => true));
            }
        });

        var app = builder.Build();
        app.MapInventoryApi();
        await app.StartAsync();
        return new TestApiHost(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
