using InventoryOrleans.DevBroker;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Embedded;

/// <summary>
/// Runs the embedded DevBroker for the silo: started before the Orleans silo and the pipeline, stopped after them.
/// </summary>
/// <remarks>
/// It stops when the host disposes its services, not when the hosted services stop: the API's producer is made on the
/// first post, so it is disposed before this broker, and until then it would log every broker as down.
/// </remarks>
public sealed class EmbeddedDevBroker(IOptions<DevBrokerOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
    : IHostedService, IAsyncDisposable
{
    private DevBrokerServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _server = await DevBrokerServer.StartAsync(options.Value, loggerFactory, time, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
