using System.Diagnostics;
using System.Net.Sockets;

namespace InventoryOrleans.Bench.Hosting;

/// <summary>A throwaway redis-server on a free port: persistence off, or an append-only file in a temporary folder fsynced as asked.</summary>
public sealed class LocalRedis : BenchStore
{
    private readonly Process _process;
    private readonly string? _dataDirectory;
    private readonly string? _appendFsync;

    private LocalRedis(Process process, int port, string? appendFsync, string? dataDirectory)
    {
        _process = process;
        Port = port;
        _appendFsync = appendFsync;
        _dataDirectory = dataDirectory;
    }

    public override string Kind => _appendFsync ?? "memory";

    public override string Description => _appendFsync is null
        ? "redis-server, no persistence"
        : $"redis-server, appendonly yes, appendfsync {_appendFsync} (data in {_dataDirectory})";

    public override int Port { get; }

    /// <summary>Starts redis-server; <paramref name="appendFsync"/> null for no persistence, else its <c>appendfsync</c> policy.</summary>
    public static LocalRedis StartServer(string? appendFsync)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        string[] persistence = appendFsync is null ? ["--appendonly", "no"] : ["--appendonly", "yes", "--appendfsync", appendFsync];
        var dataDirectory = appendFsync is null ? null : NewDataDirectory(appendFsync);
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "" }.Concat(persistence))
        {
            info.ArgumentList.Add(argument);
        }

        if (dataDirectory is not null)
        {
            info.ArgumentList.Add("--dir");
            info.ArgumentList.Add(dataDirectory);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start; install it with apt-get install -y redis-server.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", port);
                return new LocalRedis(process, port, appendFsync, dataDirectory);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        DeleteDataDirectory(_dataDirectory);
    }
}
