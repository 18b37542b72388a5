using System.Globalization;
using Garnet;
using InventoryOrleans.Silo.Options;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Hosting;

/// <summary>
/// The embedded Redis of the default configuration: a Garnet server on 127.0.0.1 with Lua (Orleans' Redis providers
/// and the product storage run scripts) and an append-only file, so acknowledged writes survive a killed process.
/// Started before the Orleans silo, stopped after it.
/// </summary>
public sealed partial class EmbeddedGarnet(IOptions<GarnetOptions> options, ILogger<EmbeddedGarnet> logger) : IHostedService, IDisposable
{
    private GarnetServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var dataDir = Path.GetFullPath(settings.DataDir);
        Directory.CreateDirectory(dataDir);
        string[] args =
        [
            "--port", settings.Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--lua",
            "--aof",
            "--recover",
            "--checkpointdir", dataDir,

            // The default device needs libaio, which a fresh machine lacks.
            "--device-type", "RandomAccess",
            "-q",
        ];
        _server = new GarnetServer(args);
        _server.Start();
        Log.Started(logger, settings.Port, dataDir);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _server, null)?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Garnet (Redis protocol) listening on 127.0.0.1:{Port}, data in {DataDir}")]
        public static partial void Started(ILogger logger, int port, string dataDir);
    }
}
