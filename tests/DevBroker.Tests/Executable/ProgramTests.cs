using System.Diagnostics;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.DevBroker.Tests.Executable;

/// <summary>The executable: the exact ready lines (broker, then schema registry), then a clean stop on SIGTERM.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task Main_PrintsListeningLineThenStopsCleanlyOnSigterm()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        var registryPort = FreePort.Next();
        var entry = Path.Combine(AppContext.BaseDirectory, "InventoryOrleans.DevBroker.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{entry}\" --port {port} --schema-registry-port {registryPort} --data-dir \"{data.Path}\" --log-level Warning")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal($"DevBroker listening on 127.0.0.1:{port}", line);
            var registryLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal($"Schema registry listening on http://127.0.0.1:{registryPort}", registryLine);
            using (var http = new HttpClient())
            {
                Assert.Equal("[]", await http.GetStringAsync(new Uri($"http://127.0.0.1:{registryPort}/subjects")));
            }

            using (var connection = await RawKafkaConnection.ConnectAsync(port))
            {
                await connection.SendAsync(InventoryOrleans.DevBroker.Protocol.ApiKey.ApiVersions, 0, 1);
                Assert.NotNull(await connection.ReceiveAsync());
            }

            using (var kill = Process.Start("kill", $"-TERM {process.Id}"))
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Main_BadOption_ExitsWithUsageAndCode2()
    {
        var entry = Path.Combine(AppContext.BaseDirectory, "InventoryOrleans.DevBroker.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{entry}\" --port 70000")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("DevBroker:Port is 70000", await errors, StringComparison.Ordinal);
    }
}
