using System.Net;
using System.Net.Sockets;

namespace InventoryOrleans.TestSupport.Avro;

/// <summary>
/// A loopback TCP proxy on a port of its own, to take a service away and bring it back (a registry outage) without
/// stopping it: <see cref="Close"/> stops listening and drops every connection (clients then get "connection
/// refused"), <see cref="Open"/> listens again on the same port. Until <see cref="Target"/> is set, connections are dropped.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    public TcpProxy()
    {
        Port = FreePort.Next();
        Open();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Where connections go (a URL, whose host and port are used).</summary>
    public Uri? Target { get; set; }

    public void Open()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    public void Close()
    {
        _stop?.Cancel();
        _listener?.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = PipeAsync(inbound, stop);
        }
    }

    private async Task PipeAsync(TcpClient inbound, CancellationToken stop)
    {
        var outbound = new TcpClient();
        lock (_connections)
        {
            _connections.Add(inbound);
            _connections.Add(outbound);
        }

        try
        {
            if (Target is not { } target)
            {
                return;
            }

            await outbound.ConnectAsync(target.Host, target.Port, stop);
            var up = inbound.GetStream().CopyToAsync(outbound.GetStream(), stop);
            var down = outbound.GetStream().CopyToAsync(inbound.GetStream(), stop);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
