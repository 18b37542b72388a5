using System.Diagnostics;
using System.Threading.Channels;
using InventoryOrleans.Api.Grpc.Tests.Support;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>
/// A Python client generated from the proto at test time (Debian's python3-grpcio and python3-grpc-tools under
/// /usr/bin/python3) reads and watches stock: the contract works for a client that shares no code with the server.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PythonClientTests(ApiCluster api) : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _stubs = Directory.CreateTempSubdirectory("inventory-python-").FullName;

    [Fact]
    public async Task PythonClient_GeneratedFromTheProto_ReadsAndWatchesStock()
    {
        await EnsurePythonGrpcAsync();
        var python = Path.Combine(AppContext.BaseDirectory, "python");
        await RunAsync("-m", "grpc_tools.protoc", $"-I{python}", $"--python_out={_stubs}", $"--grpc_python_out={_stubs}", Path.Combine(python, "inventory.proto"));
        var productId = Events.NewProductId("python");
        var receipt = Events.Post(EventType.Receipt, productId, 7);
        receipt.Event.LocationId = "dock";
        var first = await api.Client.PostEventAsync(receipt, deadline: Deadline());

        using var client = Start(Path.Combine(python, "client.py"), $"127.0.0.1:{api.Api.Port}", productId, "2");
        var lines = Lines(client);
        Assert.Equal($"get {productId} on_hand=7 reserved=0 available=7 version=1 last_event_id={first.EventId} locations=dock=7", await NextLineAsync(lines, client));
        Assert.Equal("get-empty-id INVALID_ARGUMENT", await NextLineAsync(lines, client));
        Assert.Equal("watching", await NextLineAsync(lines, client));
        Assert.Equal($"watch {productId} on_hand=7 reserved=0 available=7 version=1 last_event_id={first.EventId} locations=dock=7", await NextLineAsync(lines, client));

        var sale = Events.Post(EventType.Sale, productId, 3);
        sale.Event.LocationId = "dock";
        var second = await api.Client.PostEventAsync(sale, deadline: Deadline());

        Assert.Equal($"watch {productId} on_hand=4 reserved=0 available=4 version=2 last_event_id={second.EventId} locations=dock=4", await NextLineAsync(lines, client));
        Assert.Equal("done", await NextLineAsync(lines, client));
        using var exit = new CancellationTokenSource(Patience);
        await client.WaitForExitAsync(exit.Token);
        Assert.True(client.ExitCode == 0, $"client.py exited with {client.ExitCode}: {await client.StandardError.ReadToEndAsync()}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_stubs, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task EnsurePythonGrpcAsync()
    {
        var (code, output) = await RunCapturedAsync(null, "-c", "import grpc, grpc_tools.protoc");
        Assert.True(
            code == 0,
            $"{Python} cannot import grpc and grpc_tools ({output.Trim()}): apt-get install python3-grpcio python3-grpc-tools");
    }

    private async Task RunAsync(params string[] arguments)
    {
        var (code, output) = await RunCapturedAsync(_stubs, arguments);
        Assert.True(code == 0, $"python3 {string.Join(' ', arguments)} failed ({code}): {output}");
    }

    private static async Task<(int Code, string Output)> RunCapturedAsync(string? pythonPath, params string[] arguments)
    {
        using var process = Process.Start(Info(pythonPath, arguments)) ?? throw new InvalidOperationException($"could not start {Python}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private Process Start(params string[] arguments) =>
        Process.Start(Info(_stubs, arguments)) ?? throw new InvalidOperationException($"could not start {Python}");

    private static ProcessStartInfo Info(string? pythonPath, string[] arguments)
    {
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (pythonPath is not null)
        {
            info.Environment["PYTHONPATH"] = pythonPath;
        }

        info.Environment["PYTHONUNBUFFERED"] = "1";
        return info;
    }

    // The client's output lines as they come (read on their own task, so a wait for one line has a deadline).
    private static ChannelReader<string> Lines(Process process)
    {
        var lines = Channel.CreateUnbounded<string>();
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                await lines.Writer.WriteAsync(line);
            }

            lines.Writer.Complete();
        });
        return lines.Reader;
    }

    private static async Task<string> NextLineAsync(ChannelReader<string> lines, Process process)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            if (await lines.WaitToReadAsync(timeout.Token) && lines.TryRead(out var line))
            {
                return line;
            }
        }
        catch (OperationCanceledException)
        {
        }

        var error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "(still running)";
        Assert.Fail($"client.py printed no further line within {Patience.TotalSeconds} s; stderr: {error}");
        return "";
    }
}
