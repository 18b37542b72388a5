using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.DevBroker.Server;

/// <summary>The Kestrel transport (<see cref="BrokerTransport.Kestrel"/>): Kestrel's socket transport and connection
/// middleware, no HTTP and no host, feeding the same <see cref="BrokerConnection"/> loop.</summary>
internal sealed class KestrelBrokerListener : IBrokerListener
{
    private readonly IPAddress _address;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private KestrelServer? _server;
    private ServiceProvider? _serviceProvider;
    private long _nextConnectionId;

    private KestrelBrokerListener(IPAddress address, int port, ILoggerFactory loggerFactory, ILogger logger)
    {
        _address = address;
        Port = port;
        _loggerFactory = loggerFactory;
        _logger = logger;
    }

    public int Port { get; }

    /// <summary>Kestrel binds when it starts, so a free port is picked here when 0 was asked for.</summary>
    public static KestrelBrokerListener Create(IPAddress address, int port, ILoggerFactory loggerFactory, ILogger logger)
    {
        if (port == 0)
        {
            using var probe = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(address, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        return new KestrelBrokerListener(address, port, loggerFactory, logger);
    }

    public async Task StartAcceptingAsync(BrokerServices services)
    {
        _serviceProvider = new ServiceCollection().AddSingleton(_loggerFactory).AddLogging().BuildServiceProvider();
        var options = new KestrelServerOptions { ApplicationServices = _serviceProvider };
        options.Listen(_address, Port, listen => listen.Run(connection => ServeAsync(connection, services)));
        _server = new KestrelServer(
            Options.Create(options),
            new SocketTransportFactory(Options.Create(new SocketTransportOptions { NoDelay = true }), _loggerFactory),
            _loggerFactory);
        await _server.StartAsync(new NoHttp(), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_server is not null)
        {
            await _server.StopAsync(CancellationToken.None);
            _server.Dispose();
        }

        if (_serviceProvider is not null)
        {
            await _serviceProvider.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private Task ServeAsync(ConnectionContext connection, BrokerServices services)
    {
        var info = new ConnectionInfo(Interlocked.Increment(ref _nextConnectionId), connection.RemoteEndPoint);
        var broker = new BrokerConnection(null, info, services, _logger);
        return broker.RunAsync(connection.Transport.Input, connection.Transport.Output, null, _stopping.Token);
    }

    /// <summary>Kestrel wants an HTTP application even when only connection middleware runs; this one is never called.</summary>
    private sealed class NoHttp : IHttpApplication<object>
    {
        public object CreateContext(IFeatureCollection contextFeatures) => new();

        public void DisposeContext(object context, Exception? exception)
        {
        }

        public Task ProcessRequestAsync(object context) => Task.CompletedTask;
    }
}
