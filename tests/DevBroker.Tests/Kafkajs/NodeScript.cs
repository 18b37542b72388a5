using System.Diagnostics;

namespace InventoryOrleans.DevBroker.Tests.Kafkajs;

/// <summary>Runs a node script of this folder (kafkajs and the npm schema registry client, installed by <c>npm ci</c>
/// here, which test.sh runs) and gives its exit code and output.</summary>
internal static class NodeScript
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);

    /// <summary>This folder in the source tree (where package.json and the scripts live), found from the test assembly's,
    /// after checking that <paramref name="package"/> is installed in it.</summary>
    public static string Folder(string package)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Kafkajs");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                Assert.True(
                    File.Exists(Path.Combine(candidate, "node_modules", package, "package.json")),
                    $"{package} is not installed in {candidate}: run `npm ci` there (test.sh does)");
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no Kafkajs/package.json above {AppContext.BaseDirectory}");
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string folder, string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

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
