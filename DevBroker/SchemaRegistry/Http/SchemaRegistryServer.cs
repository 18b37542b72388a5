using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>
/// Serves <see cref="Registry"/> over HTTP on its own Kestrel. DevBroker already references ASP.NET Core (its Kestrel
/// transport), so minimal APIs give routing and a real HTTP/1.1 server for nothing; HttpListener is not recommended for
/// new code and would be a second HTTP stack. The app is built empty — no configuration, environment variables or
/// appsettings — so a host it runs inside (the silo, with its own ASPNETCORE_URLS and Kestrel settings) cannot change
/// where or how it listens.
/// </summary>
public sealed class SchemaRegistryServer : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly WebApplication _app;

    private SchemaRegistryServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The port it listens on (the chosen one when asked for 0).</summary>
    public int Port { get; }

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/> and starts serving; a port in use fails with a
    /// message that names the setting to change.</summary>
    public static async Task<SchemaRegistryServer> StartAsync(Registry registry, IPAddress address, int port, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(new EmbeddedHostLoggerFactory(loggerFactory));
        builder.Services.AddLogging();
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        var app = builder.Build();
        app.UseRegistryErrors(loggerFactory.CreateLogger<SchemaRegistryServer>());
        app.MapSchemaRegistry();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException(
                $"The DevBroker's schema registry cannot listen on {address}:{port} ({ex.Message}). Stop what uses that port, or set DevBroker:SchemaRegistryPort (DevBroker__SchemaRegistryPort, --schema-registry-port) to a free one.",
                ex);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SchemaRegistryServer(app, new Uri(bound).Port);
    }

    /// <summary>Stops accepting, lets requests in flight finish (at most a few seconds), and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            await _app.StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
    }
}
