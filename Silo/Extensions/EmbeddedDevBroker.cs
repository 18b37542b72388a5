using InventoryOrleans.DevBroker;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Extensions;

/// <summary>
/// Runs the embedded DevBroker for the silo: started before the grain runtime and the pipeline, stopped after them.
/// A failure while the broker shuts down is logged rather than thrown, so a silo that stopped its pipeline cleanly
/// still exits 0 on SIGTERM.
/// </summary>
public sealed partial class EmbeddedDevBroker(IOptions<DevBrokerOptions> options, ILoggerFactory loggerFactory, TimeProvider time, ILogger<EmbeddedDevBroker> logger)
    : IHostedService, IAsyncDisposable
{
    private DevBrokerServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _server = await DevBrokerServer.StartAsync(options.Value, loggerFactory, time, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is null)
        {
            return;
        }

        try
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or InvalidOperationException)
        {
            Log.StopFailed(logger, e);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The embedded DevBroker did not stop cleanly; its log is flushed on every produce, so nothing acknowledged is lost")]
        public static partial void StopFailed(ILogger logger, Exception exception);
    }
}
