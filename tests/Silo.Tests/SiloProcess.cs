using System.Diagnostics;
using System.Globalization;
using System.Text;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Silo.Tests;

/// <summary>
/// The silo executable as an operator runs it (<c>dotnet run --project Silo</c> with no Kafka or storage configured),
/// on free ports and in a temporary working directory, so its embedded defaults (<c>data/kafka</c>, <c>data/grains.db</c>) land there.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, int httpPort, int brokerPort)
    {
        _process = process;
        HttpPort = httpPort;
        BrokerPort = brokerPort;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    public int BrokerPort { get; }

    public string Bootstrap => $"127.0.0.1:{BrokerPort}";

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static SiloProcess Start(string workingDirectory, int httpPort, int brokerPort)
    {
        var siloDll = Path.Combine(AppContext.BaseDirectory, "InventoryOrleans.Silo.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { siloDll, "--urls", $"http://127.0.0.1:{httpPort}" },
            Environment =
            {
                // Only the port is moved off the default, so parallel test runs don't collide; everything else is the default.
                ["DevBroker__Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            },
        };
        start.Environment.Remove("Kafka__BootstrapServers");
        start.Environment.Remove("Storage__Provider");
        return new SiloProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the silo"), httpPort, brokerPort);
    }

    /// <summary>Sends SIGTERM, as a service manager does, and returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
