using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using InventoryOrleans.Api.Tests.Executables;
using InventoryOrleans.Silo.Tests;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Page.Tests.Support;

/// <summary>
/// What the page tests share: a real <c>redis-server</c>, the silo executable on it (its embedded DevBroker, API keys
/// set — so the page, reads, metrics and health must stay open while the dashboard and writes need the key), a
/// standalone Api executable joined to that cluster (no keys, loopback), and one headless Chromium. Tests use their
/// own product ids.
/// </summary>
public sealed class PageCluster : IAsyncLifetime
{
    public const string Key = "page-key-1";

    private readonly TempDirectories _directories = new();
    private RedisServer? _redis;
    private SiloProcess? _silo;
    private ApiProcess? _api;
    private PageBrowser? _browser;
    private KafkaTestClient? _kafka;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public ApiProcess Api => _api ?? throw new InvalidOperationException("not started");

    public PageBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    /// <summary>A Kafka client of the silo's broker (what an outside producer does).</summary>
    public KafkaTestClient Kafka => _kafka ?? throw new InvalidOperationException("not started");

    /// <summary>A plain HTTP client (no key).</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(90) };

    public Uri AddressOf(PageHost host) => host == PageHost.Silo ? Silo.BaseAddress : Api.BaseAddress;

    /// <summary>POSTs <paramref name="json"/> to <paramref name="host"/> with the key it needs (the silo's; the Api host has none).</summary>
    public async Task<HttpResponseMessage> PostAsync(PageHost host, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(AddressOf(host), path))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (host == PageHost.Silo)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Posts an event with <c>?wait=true</c> and asserts it was applied; returns the product's version after it.</summary>
    public async Task<long> ApplyAsync(PageHost host, string eventJson)
    {
        using var response = await PostAsync(host, "/api/events?wait=true", eventJson);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/events?wait=true answered {(int)response.StatusCode}: {body}");
        var outcome = JsonDocument.Parse(body).RootElement.GetProperty("outcome");
        Assert.Equal("Applied", outcome.GetProperty("status").GetString());
        return outcome.GetProperty("version").GetInt64();
    }

    /// <summary><c>GET</c> <paramref name="path"/> on <paramref name="host"/> as JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(PageHost host, string path) =>
        await Http.GetFromJsonAsync<JsonElement>(new Uri(AddressOf(host), path));

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync(NewDirectory("page-redis-"));
        _silo = await SiloProcess.StartAsync("silo", NewDirectory("page-silo-"), SiloPorts.Free(), new Dictionary<string, string?>
        {
            ["Redis__ConnectionString"] = _redis.ConnectionString,
            ["Api__Keys"] = Key,
        });

        // The Api host keeps trying the cluster until the silo is up, so both start at once.
        _api = await ApiProcess.StartAsync("api", NewDirectory("page-api-"), new Dictionary<string, string?>
        {
            ["Redis__ConnectionString"] = _redis.ConnectionString,
            ["Kafka__BootstrapServers"] = _silo.Bootstrap,
        });
        var browser = PageBrowser.LaunchAsync();
        await _silo.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        await _api.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        _browser = await browser;
        _kafka = new KafkaTestClient(_silo.Bootstrap);

        // The page reads the cluster stats grain, which lists a silo once it reported (every second).
        await Eventually.TrueAsync(
            async () => (await GetJsonAsync(PageHost.Api, "/api/ops/stats")).GetProperty("silos").GetArrayLength() == 1,
            SiloTimeouts.Arrival,
            "the cluster stats list the silo");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _kafka?.Dispose();
        foreach (var process in new[] { _api?.Process, _silo?.Process })
        {
            if (process is not null)
            {
                Console.WriteLine($"---- last lines of {process.Name} (pid {process.Id}) ----\n{process.Tail(30)}");
                await process.DisposeAsync();
            }
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        Http.Dispose();
        _directories.Dispose();
    }

    private string NewDirectory(string prefix) => _directories.New(prefix);
}

/// <summary>The tests that share one <see cref="PageCluster"/> (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class PageClusterCollection : ICollectionFixture<PageCluster>
{
    public const string Name = "page-cluster";
}
