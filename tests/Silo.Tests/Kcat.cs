using System.Diagnostics;

namespace InventoryOrleans.Silo.Tests;

/// <summary>Debian's kcat, the way the black-box checks outside this repository feed and read the silo.</summary>
public static class Kcat
{
    /// <summary>Produces <c>key|value</c> lines to <paramref name="topic"/> with the murmur2 partitioner (as Java clients).</summary>
    public static Task ProduceAsync(string bootstrap, string topic, params string[] keyValueLines) =>
        RunAsync(["-b", bootstrap, "-P", "-t", topic, "-K", "|", "-X", "partitioner=murmur2_random"], string.Join('\n', keyValueLines) + "\n");

    /// <summary>Every record value of <paramref name="topic"/> with its key, as <c>key\tvalue</c> lines.</summary>
    public static async Task<string[]> ConsumeAllAsync(string bootstrap, string topic)
    {
        var output = await RunAsync(["-b", bootstrap, "-C", "-t", topic, "-e", "-q", "-f", "%k\t%s\n"], null);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<string> RunAsync(string[] arguments, string? input)
    {
        var start = new ProcessStartInfo("kcat")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("kcat did not start; install it with 'apt-get install -y kcat'.");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kcat {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }
}
