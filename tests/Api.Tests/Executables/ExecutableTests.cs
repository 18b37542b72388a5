using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Silo.Tests;
using InventoryOrleans.TestSupport;
using Xunit.Abstractions;

namespace InventoryOrleans.Api.Tests.Executables;

/// <summary>
/// The executables black-box: the silo co-hosting the API with its dashboard behind the key, a standalone Api host
/// joining it as an Orleans client over TCP, and both refusing to start exposed without a key.
/// </summary>
public sealed class ExecutableTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "exe-key-1";
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(60);
    private readonly TempDirectories _directories = new();
    private readonly List<ChildProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(90) };

    [Fact]
    public async Task SiloAndApiExecutables_WithAKey_DashboardAndWritesNeedIt_ApiHostWaitsAndWatchesAcrossProcesses()
    {
        var ports = SiloPorts.Free();
        var silo = await SiloProcess.StartAsync("silo", NewDirectory("api-exe-silo-"), ports, new Dictionary<string, string?> { ["Api__Keys"] = Key });
        _processes.Add(silo.Process);
        await silo.WaitUntilReadyAsync(_http, SiloTimeouts.Start);

        // The dashboard: a browser is asked for Basic credentials, the key is the password; Bearer works too.
        using (var dashboard = await _http.GetAsync(new Uri(silo.BaseAddress, "/dashboard/")))
        {
            await dashboard.AssertProblemAsync(401);
            Assert.Equal("Basic", dashboard.Headers.WwwAuthenticate.First().Scheme);
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(new Uri(silo.BaseAddress, "/dashboard/"), new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Key)))));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(new Uri(silo.BaseAddress, "/dashboard/ClusterStats"), new AuthenticationHeaderValue("Bearer", Key)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(new Uri(silo.BaseAddress, "/dashboard/ClusterStats"), new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:wrong")))));

        // The silo's own REST: writes need the key, reads do not.
        var productId = Products.New("exe");
        using (var anonymous = await PostAsync(silo.BaseAddress, "/api/events", $$"""{"type":"Receipt","productId":"{{productId}}","quantity":9}""", key: null))
        {
            await anonymous.AssertProblemAsync(401);
        }

        using (var receipt = await PostAsync(silo.BaseAddress, "/api/events?wait=true", $$"""{"type":"Receipt","productId":"{{productId}}","quantity":9}""", Key))
        {
            Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        }

        // The standalone Api host: an Orleans client finding the silo through its Redis (the embedded Garnet), producing to its broker.
        var api = await ApiProcess.StartAsync("api", NewDirectory("api-exe-api-"), new Dictionary<string, string?>
        {
            ["Redis__ConnectionString"] = $"127.0.0.1:{ports.Garnet.ToString(CultureInfo.InvariantCulture)}",
            ["Kafka__BootstrapServers"] = silo.Bootstrap,
            ["Api__Keys"] = Key,
        });
        _processes.Add(api.Process);
        await api.WaitUntilReadyAsync(_http, SiloTimeouts.Start);
        var readiness = (await (await _http.GetAsync(new Uri(api.BaseAddress, "/readyz"))).BodyAsync())!;
        Assert.True(readiness["checks"]!["orleans"]!["ok"]!.GetValue<bool>());
        Assert.True(readiness["checks"]!["broker"]!["ok"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(new Uri(api.BaseAddress, "/healthz"), null));

        await using var watch = await SseClient.OpenAsync(api.BaseAddress, $"/api/stock/{productId}/changes");
        Assert.Equal("1", (await watch.NextStockAsync(Arrival)).Id);

        using (var anonymous = await PostAsync(api.BaseAddress, "/api/sales", $$"""{"productId":"{{productId}}","quantity":2}""", key: null))
        {
            await anonymous.AssertProblemAsync(401);
        }

        // A sale through the Api host: decided by the grain on the silo, awaited across processes.
        using (var sale = await PostAsync(api.BaseAddress, "/api/sales?wait=true", $$"""{"productId":"{{productId}}","quantity":2}""", Key))
        {
            Assert.Equal(HttpStatusCode.OK, sale.StatusCode);
            var outcome = (await sale.BodyAsync())!["outcome"]!;
            Assert.Equal("Applied", outcome["status"]!.GetValue<string>());
            Assert.Equal(2, outcome["version"]!.GetValue<long>());
            Assert.Equal(7, outcome["stock"]!["onHand"]!.GetValue<long>());
        }

        var change = await watch.NextStockAsync(Arrival);
        Assert.Equal("2", change.Id);
        Assert.Equal(7, change.Json["onHand"]!.GetValue<long>());
        using (var read = await _http.GetAsync(new Uri(silo.BaseAddress, $"/api/stock/{productId}")))
        {
            Assert.Equal(2, (await read.BodyAsync())!["version"]!.GetValue<long>());
        }

        await watch.DisposeAsync();
        Assert.Equal(0, await api.Process.TerminateAsync(SiloTimeouts.Stop));
        Assert.Equal(0, await silo.Process.TerminateAsync(SiloTimeouts.Stop));
    }

    [Theory]
    [InlineData("http://0.0.0.0:{0}", null)]
    [InlineData("http://127.0.0.1:{0}", "http://0.0.0.0:{1}")]
    public async Task ApiExecutable_ListeningBeyondLoopbackWithoutKeys_ExitsSayingHowToSetApiKeys(string urls, string? grpcUrl)
    {
        var ports = new object[] { FreePort.Next(), FreePort.Next() };
        var settings = new Dictionary<string, string?>
        {
            ["Redis__ConnectionString"] = $"127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
            ["Kafka__BootstrapServers"] = $"127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
            ["Api__GrpcUrl"] = string.Format(CultureInfo.InvariantCulture, grpcUrl ?? "http://127.0.0.1:{1}", ports),
        };

        var (exitCode, text) = await ExitingProcess.RunAsync("InventoryOrleans.Api.dll", ["--urls", string.Format(CultureInfo.InvariantCulture, urls, ports)], settings, SiloTimeouts.Start);

        output.WriteLine(text);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Api__Keys", text, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiExecutable_NoRedisConnectionString_ExitsSayingHowToSetIt()
    {
        var (exitCode, text) = await ExitingProcess.RunAsync(
            "InventoryOrleans.Api.dll",
            ["--urls", $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}"],
            new Dictionary<string, string?> { ["Kafka__BootstrapServers"] = "127.0.0.1:9" },
            SiloTimeouts.Start);

        output.WriteLine(text);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Redis__ConnectionString", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiloExecutable_GrpcBeyondLoopbackWithoutKeys_ExitsSayingHowToSetApiKeys()
    {
        var ports = SiloPorts.Free();
        var (exitCode, text) = await ExitingProcess.RunAsync(
            "InventoryOrleans.Silo.dll",
            ["--urls", $"http://127.0.0.1:{ports.Http.ToString(CultureInfo.InvariantCulture)}"],
            new Dictionary<string, string?>
            {
                ["DevBroker__Port"] = ports.Broker.ToString(CultureInfo.InvariantCulture),
                ["DevBroker__SchemaRegistryPort"] = ports.Registry.ToString(CultureInfo.InvariantCulture),
                ["Garnet__Port"] = ports.Garnet.ToString(CultureInfo.InvariantCulture),
                ["Orleans__SiloPort"] = ports.Silo.ToString(CultureInfo.InvariantCulture),
                ["Orleans__GatewayPort"] = ports.Gateway.ToString(CultureInfo.InvariantCulture),
                ["Api__GrpcUrl"] = $"http://0.0.0.0:{ports.Grpc.ToString(CultureInfo.InvariantCulture)}",
            },
            SiloTimeouts.Start);

        output.WriteLine(text);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Api__Keys", text, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            output.WriteLine($"---- last lines of {process.Name} (pid {process.Id}) ----\n{process.Tail(40)}");
            await process.DisposeAsync();
        }

        _http.Dispose();
        _directories.Dispose();
    }

    private string NewDirectory(string prefix) => _directories.New(prefix);

    private async Task<HttpStatusCode> StatusAsync(Uri uri, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = authorization;
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> PostAsync(Uri baseAddress, string path, string body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, path)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await _http.SendAsync(request);
    }
}
