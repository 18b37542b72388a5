using System.Globalization;
using Garnet;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Embedded;

/// <summary>
/// The embedded Redis of the default configuration: a Garnet server on 127.0.0.1 with Lua (Orleans' Redis providers
/// and the product storage run scripts) and an append-only file on disk (see <see cref="ServerArguments"/>); the
/// product storage counts a write as done only once <see cref="DurabilityCommand"/> answered after it, so an
/// acknowledged grain write survives a killed process or machine. Started before the Orleans silo, stopped after it.
/// </summary>
public sealed partial class EmbeddedGarnet(IOptions<GarnetOptions> options, ILogger<EmbeddedGarnet> logger) : IHostedService, IDisposable
{
    private GarnetServer? _server;

    /// <summary>
    /// Garnet's command that answers once everything written before it is in the append-only file on disk: the product
    /// storage sends it after each write (<c>Redis:DurabilityCommand</c>), since Garnet answers writes before that.
    /// </summary>
    /// <remarks>
    /// Garnet's own <c>--aof-commit-wait</c> would make every answer wait instead, but inside a Lua script it waits for
    /// each write the script makes, one after the other: a product storage call writing 128 products waited for 128
    /// commits, and the 1,000-product ingest fell to 14,000–25,000 events/s with a p50 of 6–13 s at 10,000 events/s
    /// (docs/benchmarks.md). One command after the call waits for one commit, which holds every write before it: the
    /// append-only file is one sequence.
    /// </remarks>
    public const string DurabilityCommand = "COMMITAOF";

    /// <summary>The Garnet command line the silo starts its embedded server with (the benchmarks start the same).</summary>
    public static IReadOnlyList<string> ServerArguments(int port, string dataDir) =>
    [
        "--port", port.ToString(CultureInfo.InvariantCulture),
        "--bind", "127.0.0.1",
        "--lua",

        // Each operation issues its commit at once (--aof-commit-freq 0, the default), so the file follows the writes
        // closely even when nothing waits for it (Orleans' own providers never do).
        "--aof",
        "--recover",
        "--checkpointdir", dataDir,

        // The FileStream device opens its files with O_SYNC (FileOptions.WriteThrough), so a commit completes once the
        // disk has the page and the file's size. RandomAccess opens them O_DIRECT and never flushes: a completed write
        // may still sit in the disk's cache, and the metadata of a grown file in the file system's journal. The
        // default device (Native) needs libaio, which a fresh machine lacks.
        "--device-type", "FileStream",
        "-q",
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var dataDir = Path.GetFullPath(settings.DataDir);
        Directory.CreateDirectory(dataDir);
        _server = new GarnetServer([.. ServerArguments(settings.Port, dataDir)]);
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
