using System.Diagnostics;
using Xunit.Abstractions;

namespace InventoryOrleans.Silo.Tests;

/// <summary>
/// What every black-box test needs: temporary directories, an HTTP client, and the processes it started, all killed
/// when the test ends, passed or failed (the last lines each one wrote go to the test output).
/// </summary>
public abstract class SiloTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _started = [];
    private readonly List<ChildProcess> _processes = [];
    private readonly List<string> _directories = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    protected HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Time since the test started.</summary>
    protected TimeSpan Elapsed => _clock.Elapsed;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }

        foreach (var process in _processes)
        {
            output.WriteLine($"---- last lines of {process.Name} (pid {process.Id}) ----\n{process.Tail(30)}");
        }

        Http.Dispose();
        foreach (var directory in _directories)
        {
            SiloWaits.DeleteDirectory(directory);
        }
    }

    /// <summary>Writes a line to the test output, stamped with the test's elapsed time.</summary>
    protected void Log(string line) => output.WriteLine($"{Elapsed.TotalSeconds,7:0.000} s  {line}");

    /// <summary>A new temporary directory, deleted after the test.</summary>
    protected string NewDirectory(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        _directories.Add(path);
        return path;
    }

    /// <summary>Starts a silo executable; it is killed when the test ends.</summary>
    protected async Task<SiloProcess> StartSiloAsync(string name, string workingDirectory, SiloPorts ports, IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyList<string>? wrapper = null)
    {
        var silo = await SiloProcess.StartAsync(name, workingDirectory, ports, settings, wrapper);
        Track(silo, silo.Process);
        Log($"started {name} (pid {silo.Process.Id}, HTTP {ports.Http}, silo {ports.Silo}, gateway {ports.Gateway})");
        return silo;
    }

    /// <summary>Starts a helper process (broker, Redis); it is killed when the test ends.</summary>
    protected async Task<ChildProcess> StartProcessAsync(string name, string workingDirectory, string fileName, IEnumerable<string> arguments)
    {
        var process = await ChildProcess.StartAsync(name, workingDirectory, fileName, arguments, new Dictionary<string, string?>());
        Track(process, process);
        return process;
    }

    /// <summary>Something else to dispose when the test ends, before the processes started earlier.</summary>
    protected T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _started.Add(disposable);
        return disposable;
    }

    private void Track(IAsyncDisposable disposable, ChildProcess process)
    {
        _started.Add(disposable);
        _processes.Add(process);
    }
}
