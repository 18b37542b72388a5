using System.Diagnostics;
using System.Net.Sockets;

namespace InventoryOrleans.TestSupport;

/// <summary>
/// A real Redis server on a free loopback port, started by the test itself: Debian's <c>redis-server</c>,
/// else the <c>garnet-server</c> dotnet tool. Persistence off unless a data directory is given (then an fsync-always
/// append-only file, so a kill loses nothing acknowledged); <see cref="StopAsync"/> / <see cref="StartAsync"/> simulate an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    public RedisServer(string? dataDirectory = null)
    {
        Port = FreePort.Next();
        DataDirectory = dataDirectory;
    }

    /// <summary>Where redis-server keeps its append-only file; null when persistence is off.</summary>
    public string? DataDirectory { get; }

    public int Port { get; }

    /// <summary>StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=5000";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<RedisServer> StartNewAsync(string? dataDirectory = null)
    {
        var server = new RedisServer(dataDirectory);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var start = FindServer(Port, DataDirectory);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        await Eventually.TrueAsync(CanConnect, TimeSpan.FromSeconds(20), $"{start.FileName} accepts connections on port {Port}");
    }

    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private bool CanConnect()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return read > 0 && buffer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static ProcessStartInfo FindServer(int port, string? dataDirectory)
    {
        foreach (var path in new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" })
        {
            if (File.Exists(path))
            {
                var info = Quiet(new ProcessStartInfo(path)
                {
                    ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--protected-mode", "no" },
                });
                if (dataDirectory is null)
                {
                    info.ArgumentList.Add("--appendonly");
                    info.ArgumentList.Add("no");
                }
                else
                {
                    Directory.CreateDirectory(dataDirectory);
                    foreach (var argument in new[] { "--appendonly", "yes", "--appendfsync", "always", "--dir", dataDirectory })
                    {
                        info.ArgumentList.Add(argument);
                    }
                }

                return info;
            }
        }

        // Garnet is Redis-compatible; Lua scripts need --lua.
        return Quiet(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "tool", "run", "garnet-server", "--", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--lua" },
        });
    }

    private static ProcessStartInfo Quiet(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = false;
        info.RedirectStandardError = false;
        info.UseShellExecute = false;
        return info;
    }
}
