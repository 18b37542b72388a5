using System.Globalization;
using InventoryOrleans.Silo.Tests;
using InventoryOrleans.TestSupport;
using Xunit.Abstractions;

namespace InventoryOrleans.Api.Tests.Executables;

/// <summary>
/// The side doors of the loopback rule, black-box: an endpoint beyond loopback that reaches Kestrel through
/// <c>Kestrel__Endpoints__*</c>, <c>HTTP_PORTS</c>, <c>ASPNETCORE_HTTP_PORTS</c> or <c>ASPNETCORE_URLS</c> (rather than
/// <c>--urls</c> or <c>Api__GrpcUrl</c>) makes both executables refuse to start without <c>Api__Keys</c>, saying how to set
/// them; with a key they start and answer on it.
/// </summary>
public sealed class ExposureExecutableTests(SharedSilo cluster, ITestOutputHelper output) : IClassFixture<SharedSilo>, IDisposable
{
    private const string Key = "side-door-key";
    private readonly TempDirectories _directories = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Each way of naming an endpoint other than <c>--urls</c> and <c>Api__GrpcUrl</c>.</summary>
    public static TheoryData<string> Doors => new() { "Kestrel__Endpoints__Pub__Url", "HTTP_PORTS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS" };

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task ApiExecutable_SideDoorBeyondLoopbackWithoutKeys_ExitsSayingHowToSetApiKeys(string door)
    {
        var port = FreePort.Next();
        var settings = ApiSettings();
        Open(settings, door, port);

        var (exitCode, text) = await ExitingProcess.RunAsync("InventoryOrleans.Api.dll", [], settings, SiloTimeouts.Start);

        output.WriteLine(text);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Api__Keys", text, StringComparison.Ordinal);
        Assert.Contains($":{port.ToString(CultureInfo.InvariantCulture)}", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task SiloExecutable_SideDoorBeyondLoopbackWithoutKeys_ExitsSayingHowToSetApiKeys(string door)
    {
        var port = FreePort.Next();
        var ports = SiloPorts.Free();
        var settings = new Dictionary<string, string?>
        {
            ["DevBroker__Port"] = ports.Broker.ToString(CultureInfo.InvariantCulture),
            ["DevBroker__SchemaRegistryPort"] = ports.Registry.ToString(CultureInfo.InvariantCulture),
            ["Garnet__Port"] = ports.Garnet.ToString(CultureInfo.InvariantCulture),
            ["Orleans__SiloPort"] = ports.Silo.ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = ports.Gateway.ToString(CultureInfo.InvariantCulture),
            ["Api__GrpcUrl"] = $"http://127.0.0.1:{ports.Grpc.ToString(CultureInfo.InvariantCulture)}",
        };
        Open(settings, door, port, ports.Http);

        var (exitCode, text) = await ExitingProcess.RunAsync("InventoryOrleans.Silo.dll", [], settings, SiloTimeouts.Start);

        output.WriteLine(text);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Api__Keys", text, StringComparison.Ordinal);
        Assert.Contains($":{port.ToString(CultureInfo.InvariantCulture)}", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task ApiExecutable_SideDoorBeyondLoopbackWithAKey_StartsAndAnswersThere(string door)
    {
        var silo = await cluster.ReadyAsync();
        var port = FreePort.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Redis__ConnectionString"] = $"127.0.0.1:{silo.Ports.Garnet.ToString(CultureInfo.InvariantCulture)}",
            ["Kafka__BootstrapServers"] = silo.Bootstrap,
            ["Api__Keys"] = SharedSilo.Key,
        };
        Open(settings, door, port);

        // The Api host serves once its Orleans client reached the cluster.
        await using var api = await ApiProcess.StartAsync("api-" + door, _directories.New("api-door-"), settings, arguments: []);

        await AnswersHealthzAsync(api.Process, port);
        Assert.Equal(0, await api.Process.TerminateAsync(SiloTimeouts.Stop));
    }

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task SiloExecutable_SideDoorBeyondLoopbackWithAKey_StartsAndAnswersThere(string door)
    {
        var port = FreePort.Next();
        var ports = SiloPorts.Free();
        var settings = new Dictionary<string, string?> { ["Api__Keys"] = Key };
        Open(settings, door, port, ports.Http);

        await using var silo = await SiloProcess.StartAsync("silo-" + door, _directories.New("silo-door-"), ports, settings, arguments: []);

        await AnswersHealthzAsync(silo.Process, port);
        Assert.Equal(0, await silo.Process.TerminateAsync(SiloTimeouts.Stop));
    }

    public void Dispose()
    {
        _http.Dispose();
        _directories.Dispose();
    }

    // An Api host whose Redis and broker are closed ports: enough to be refused (the options are checked first).
    private static Dictionary<string, string?> ApiSettings() => new()
    {
        ["Redis__ConnectionString"] = $"127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
        ["Kafka__BootstrapServers"] = $"127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
        ["Api__GrpcUrl"] = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
    };

    // Opens the door on every interface at port. No --urls is passed: it would override ASPNETCORE_URLS and the port
    // settings. With a Kestrel endpoint, REST goes to a free loopback port rather than its default 5000.
    private static void Open(Dictionary<string, string?> settings, string door, int port, int? restPort = null)
    {
        var value = door switch
        {
            "Kestrel__Endpoints__Pub__Url" or "ASPNETCORE_URLS" => $"http://0.0.0.0:{port.ToString(CultureInfo.InvariantCulture)}",

            // A bare port: ASP.NET Core binds it on every interface (http://*:port).
            _ => port.ToString(CultureInfo.InvariantCulture),
        };
        settings[door] = value;
        if (door.StartsWith("Kestrel__", StringComparison.Ordinal))
        {
            settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{(restPort ?? FreePort.Next()).ToString(CultureInfo.InvariantCulture)}";
        }
    }

    private async Task AnswersHealthzAsync(ChildProcess process, int port)
    {
        var healthz = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/healthz");
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    Assert.False(process.HasExited, $"{process.Name} exited during start-up:\n{process.Tail(80)}");
                    try
                    {
                        using var response = await _http.GetAsync(healthz);
                        return response.IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return false;
                    }
                },
                SiloTimeouts.Start,
                $"{process.Name} answers 200 on {healthz}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{process.Name} output:\n{process.Tail(80)}", e);
        }
    }
}
