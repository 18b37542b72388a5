using System.Diagnostics;
using System.Globalization;
using InventoryOrleans.Api.Hosting;

namespace InventoryOrleans.Silo.Tests;

/// <summary>The executable refused by its configuration: a plain message and a refusal's exit code, not a crash.</summary>
public sealed class SiloRefusedStartTests
{
    [Fact]
    public async Task Silo_PublicUrlWithoutApiKey_ExitsWithTheConfigurationCodeAndSaysHowToFixIt()
    {
        var ports = SiloPorts.Free();
        var directory = Directory.CreateTempSubdirectory("silo-refused-").FullName;
        try
        {
            await RunRefusedAsync(ports, directory);
        }
        finally
        {
            SiloWaits.DeleteDirectory(directory);
        }
    }

    private static async Task RunRefusedAsync(SiloPorts ports, string directory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "InventoryOrleans.Silo.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://0.0.0.0:{ports.Http}");
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("Api__", StringComparison.Ordinal)))
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DevBroker__Port"] = ports.Broker.ToString(CultureInfo.InvariantCulture);
        start.Environment["DevBroker__SchemaRegistryPort"] = ports.Registry.ToString(CultureInfo.InvariantCulture);
        start.Environment["Garnet__Port"] = ports.Garnet.ToString(CultureInfo.InvariantCulture);
        start.Environment["Orleans__SiloPort"] = ports.Silo.ToString(CultureInfo.InvariantCulture);
        start.Environment["Orleans__GatewayPort"] = ports.Gateway.ToString(CultureInfo.InvariantCulture);
        start.Environment["Api__GrpcUrl"] = $"http://127.0.0.1:{ports.Grpc}";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using (var deadline = new CancellationTokenSource(SiloTimeouts.Start))
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"the silo did not refuse its start within {SiloTimeouts.Start.TotalSeconds:0} s:\n{await output}");
            }
        }

        var said = await error;
        Assert.True(process.ExitCode == RefusedStart.ExitCode, $"exit code {process.ExitCode}\nstderr:\n{said}\nstdout:\n{await output}");
        Assert.Contains("inventory-silo refused to start", said, StringComparison.Ordinal);
        Assert.Contains("Set Api__Keys", said, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", said, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", said, StringComparison.Ordinal);
    }
}
