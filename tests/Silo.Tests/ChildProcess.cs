using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace InventoryOrleans.Silo.Tests;

/// <summary>
/// A process a test starts (a silo, a DevBroker) in a session of its own (<c>setsid</c>), so a stopped shell's SIGHUP
/// never reaches it, with its output kept for the failure message. Signals go to that one process id; disposing kills
/// it (SIGKILL also ends a SIGSTOPped process), whatever the test did.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int OutputLines = 4_000;
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputLock = new();

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        Id = process.Id;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    /// <summary>The process id (also its session and process group id).</summary>
    public int Id { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last few thousand lines the process wrote (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts <c>setsid <paramref name="fileName"/> <paramref name="arguments"/></c> with only the given environment changes.</summary>
    public static async Task<ChildProcess> StartAsync(string name, string workingDirectory, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var child = new ChildProcess(name, process);

        // setsid execs in place when its caller is no process group leader (a .NET child never is), so the id is the
        // program's own and every signal below reaches it, not a forked-off parent.
        if (!await child.BecameOwnSessionLeaderAsync())
        {
            await child.DisposeAsync();
            throw new InvalidOperationException($"{name} (pid {process.Id}) did not become the leader of its own session (setsid forked, or it exited):\n{child.Output}");
        }

        return child;
    }

    /// <summary>SIGTERM, as a service manager sends it; waits for the exit and returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        await SignalAsync("TERM");
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0} s of SIGTERM:\n{Tail(40)}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs; returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            await SignalAsync("KILL");
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>SIGSTOP: the process hangs with every socket open, as a frozen VM or a long GC pause does.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT after <see cref="FreezeAsync"/>.</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    /// <summary>The last <paramref name="lines"/> lines of output.</summary>
    public string Tail(int lines)
    {
        lock (_outputLock)
        {
            return string.Join('\n', _output.Skip(Math.Max(0, _output.Count - lines)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(deadline.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -s {signal} {_process.Id} failed ({kill.ExitCode}).");
        }
    }

    // Waits until setsid has exec'd the program, then checks that the program leads a session of its own.
    private async Task<bool> BecameOwnSessionLeaderAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            string stat;
            try
            {
                stat = await File.ReadAllTextAsync($"/proc/{_process.Id}/stat");
            }
            catch (IOException)
            {
                return false;
            }

            // "pid (comm) state ppid pgrp session …"; comm may hold spaces, so fields are counted after the last ')'.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (stat[(open + 1)..close] != "setsid")
            {
                var fields = stat[(close + 2)..].Split(' ');
                return int.Parse(fields[3], CultureInfo.InvariantCulture) == _process.Id;
            }

            if (_process.HasExited)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return false;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }
}
