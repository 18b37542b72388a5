using System.Diagnostics;
using Xunit;

namespace InventoryOrleans.TestSupport.Node;

/// <summary>
/// Runs a node script with the npm packages of tests/DevBroker.Tests/Kafkajs (kafkajs and the npm schema registry
/// client, installed by <c>npm ci</c> there, which test.sh runs) on its NODE_PATH — one install for every test project —
/// and gives its exit code and output.
/// </summary>
public static class NodeScript
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);

    /// <summary>The repository's root (where InventoryOrleans.sln is), found from the test assembly's folder.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Where package.json, package-lock.json and node_modules live.</summary>
    public static string KafkajsFolder => Path.Combine(RepositoryRoot, "tests", "DevBroker.Tests", "Kafkajs");

    /// <summary>A folder of the source tree, relative to the repository's root, after checking that <paramref name="package"/> is installed.</summary>
    public static string Folder(string relativePath, string package)
    {
        Assert.True(
            File.Exists(Path.Combine(KafkajsFolder, "node_modules", package, "package.json")),
            $"{package} is not installed in {KafkajsFolder}: run `npm ci` there (test.sh does)");
        return Path.Combine(RepositoryRoot, relativePath);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string folder, string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NODE_PATH"] = Path.Combine(KafkajsFolder, "node_modules") },
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

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "InventoryOrleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"InventoryOrleans.sln not found above {AppContext.BaseDirectory}");
    }
}
