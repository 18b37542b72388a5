using System.Diagnostics;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>Runs Debian's kcat (librdkafka) with the given arguments and input.</summary>
internal static class KcatProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string arguments, string? input = null)
    {
        var start = new ProcessStartInfo("kcat", arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
