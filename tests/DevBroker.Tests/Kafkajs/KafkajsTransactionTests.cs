using System.Diagnostics;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Kafkajs;

/// <summary>A second, independent client: kafkajs 2.2.4 (npm) runs transactions.js in this folder against an in-process
/// DevBroker — committed and aborted transactions with offsets, fencing by a second producer, a read_committed consumer
/// held at the last stable offset. The script's own asserts decide; it exits non-zero on any failure. Needs node and
/// this folder's node_modules (<c>npm ci</c>, which test.sh runs); without them the test fails and says so.</summary>
public sealed class KafkajsTransactionTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Kafkajs_TransactionsOffsetsFencingAndReadCommitted_AllChecksPass()
    {
        var folder = ScriptFolder();
        Assert.True(
            File.Exists(Path.Combine(folder, "node_modules", "kafkajs", "package.json")),
            $"kafkajs is not installed in {folder}: run `npm ci` there (test.sh does)");
        await using var broker = await TestBroker.StartAsync();

        var (exitCode, output) = await RunNodeAsync(folder, "transactions.js", broker.BootstrapServers);

        Assert.True(exitCode == 0, $"node transactions.js exited with {exitCode}:\n{output}");
        Assert.Contains("all checks passed", output, StringComparison.Ordinal);
    }

    /// <summary>This test's source folder (where package.json and the script live), found from the test assembly's.</summary>
    private static string ScriptFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Kafkajs");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no Kafkajs/package.json above {AppContext.BaseDirectory}");
    }

    private static async Task<(int ExitCode, string Output)> RunNodeAsync(string folder, string script, string bootstrap)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(bootstrap);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("`node` is not on the PATH: install Node.js (e.g. apt-get install nodejs npm; test.sh does)", exception);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(ScriptTimeout);
            }
            catch (TimeoutException)
            {
                process.Kill();
                throw new TimeoutException($"node {script} did not finish within {ScriptTimeout}:\n{await stdout}\n{await stderr}");
            }

            return (process.ExitCode, $"{await stdout}\n{await stderr}");
        }
    }
}
