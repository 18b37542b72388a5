using System.Diagnostics;
using System.Text;

namespace InventoryOrleans.Api.Tests.Executables;

/// <summary>
/// Runs an executable that is expected to stop by itself (a refused start) and returns its exit code and output; one
/// that is still running at the deadline is killed and the test fails. (Its own session is not needed: nothing is
/// signalled, and a process that exits at once would race <c>ChildProcess</c>'s session check.)
/// </summary>
public static class ExitingProcess
{
    private static readonly string[] InheritedPrefixes =
        ["Kafka__", "Redis__", "Garnet__", "DevBroker__", "Orleans__", "Api__", "Inventory__", "Logging__", "Kestrel__", "ASPNETCORE_", "HTTP_PORTS", "HTTPS_PORTS", "DOTNET_ENVIRONMENT"];

    public static async Task<(int ExitCode, string Output)> RunAsync(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Directory.CreateTempSubdirectory("api-exe-refused-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => InheritedPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{dll} still ran after {timeout.TotalSeconds:0} s:\n{Text(output)}");
        }
        finally
        {
            try
            {
                Directory.Delete(start.WorkingDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        // WaitForExitAsync returns once the output is drained too.
        return (process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
