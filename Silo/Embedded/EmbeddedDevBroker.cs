using InventoryOrleans.DevBroker;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Embedded;

/// <summary>
/// Runs the embedded DevBroker for the silo: started before the Orleans silo and the pipeline, stopped after them.
/// </summary>
public sealed class EmbeddedDevBroker(IOptions<DevBrokerOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
    : IHostedService, IAsyncDisposable
{
    private DevBrokerServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _server = await DevBrokerServer.StartAsync(options.Value, loggerFactory, time, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
