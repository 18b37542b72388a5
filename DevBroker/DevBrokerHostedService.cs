using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.DevBroker;

/// <summary>Runs a <see cref="DevBrokerServer"/> inside a Generic Host (the silo's embedded mode, the executable).</summary>
public sealed class DevBrokerHostedService(IOptions<DevBrokerOptions> options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null) : IHostedService, IAsyncDisposable
{
    private DevBrokerServer? _server;

    /// <summary>The running broker; null before start.</summary>
    public DevBrokerServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _server = await DevBrokerServer.StartAsync(options.Value, loggerFactory, timeProvider ?? TimeProvider.System, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
