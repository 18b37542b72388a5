using System.Diagnostics;

namespace InventoryOrleans.Ingest.Tests.Avro;

/// <summary>Runs a node script of this folder with the npm packages the DevBroker's kafkajs tests install
/// (tests/DevBroker.Tests/Kafkajs, <c>npm ci</c> there, which test.sh runs) on its NODE_PATH: one install for both.</summary>
internal static class KafkajsNode
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The repository's root (where InventoryOrleans.sln is), found from the test assembly's folder.</summary>
    public static string RepositoryRoot()
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

    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments)
    {
        var root = RepositoryRoot();
        var installed = Path.Combine(root, "tests", "DevBroker.Tests", "Kafkajs");
        var modules = Path.Combine(installed, "node_modules");
        Assert.True(
            File.Exists(Path.Combine(modules, "@kafkajs", "confluent-schema-registry", "package.json")),
            $"@kafkajs/confluent-schema-registry is not installed in {installed}: run `npm ci` there (test.sh does)");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.Combine(root, "tests", "Ingest.Tests", "Avro"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NODE_PATH"] = modules },
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
