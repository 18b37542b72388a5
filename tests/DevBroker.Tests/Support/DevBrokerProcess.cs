using System.Diagnostics;
using System.Text;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>The DevBroker executable run by a test (<c>dotnet InventoryOrleans.DevBroker.dll</c>) on a given port and data
/// directory, with its schema registry on a given port or none (never the default 8081, which parallel tests would
/// share); started once it prints its ready line, killed (SIGKILL: no shutdown code runs) or stopped with SIGTERM.</summary>
internal sealed class DevBrokerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DevBrokerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>What the process printed so far (for failure messages).</summary>
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

    public static async Task<DevBrokerProcess> StartAsync(int port, string dataDir, int? schemaRegistryPort = null)
    {
        var entry = Path.Combine(AppContext.BaseDirectory, "InventoryOrleans.DevBroker.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] registry = schemaRegistryPort is { } registryPort ? ["--schema-registry-port", $"{registryPort}"] : ["--no-schema-registry"];
        foreach (var argument in (string[])[entry, "--port", $"{port}", "--data-dir", dataDir, "--log-level", "Warning", .. registry])
        {
            start.ArgumentList.Add(argument);
        }

        var broker = new DevBrokerProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the DevBroker"), port);
        try
        {
            await broker._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await broker.DisposeAsync();
            throw new TimeoutException($"the DevBroker did not get ready within 60 s:\n{broker.Output}");
        }

        return broker;
    }

    /// <summary>SIGKILL (Process.Kill on Linux); returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
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

        if (line.StartsWith("DevBroker listening on", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
