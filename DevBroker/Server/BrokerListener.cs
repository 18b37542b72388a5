using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Server;

/// <summary>Accepts TCP connections and runs one <see cref="BrokerConnection"/> per client.</summary>
internal sealed partial class BrokerListener : IBrokerListener
{
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, (BrokerConnection Connection, Task Run)> _connections = new();
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextConnectionId;

    private BrokerListener(Socket socket, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>Binds the port (so <see cref="Port"/> is known) without accepting yet.</summary>
    public static BrokerListener Bind(IPAddress address, int port, ILogger logger)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new BrokerListener(socket, logger);
    }

    public Task StartAcceptingAsync(BrokerServices services)
    {
        _acceptLoop = AcceptLoopAsync(services);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        foreach (var (connection, _) in _connections.Values)
        {
            connection.Abort();
        }

        await Task.WhenAll(_connections.Values.Select(c => c.Run));
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(BrokerServices services)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (!token.IsCancellationRequested)
            {
                Log.AcceptFailed(_logger, ex);
                continue;
            }
            catch (SocketException)
            {
                return;
            }

            client.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnectionId);
            var connection = new BrokerConnection(client, new ConnectionInfo(id, client.RemoteEndPoint), services, _logger);
            Log.Accepted(_logger, id, client.RemoteEndPoint);
            // Registered before it starts, so a connection that ends at once is still removed.
            var starter = new Task<Task>(() => RunConnectionAsync(connection, token));
            _connections[id] = (connection, starter.Unwrap());
            starter.Start(TaskScheduler.Default);
        }
    }

    private async Task RunConnectionAsync(BrokerConnection connection, CancellationToken token)
    {
        try
        {
            await connection.RunAsync(token);
        }
        finally
        {
            _connections.TryRemove(connection.Info.Id, out _);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} accepted from {RemoteEndPoint}")]
        public static partial void Accepted(ILogger logger, long connectionId, EndPoint? remoteEndPoint);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a connection failed")]
        public static partial void AcceptFailed(ILogger logger, Exception exception);
    }
}
