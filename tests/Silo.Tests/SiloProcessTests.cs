using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Silo.Tests;

/// <summary>The silo executable with its embedded defaults, end to end through kcat and HTTP, across a SIGTERM and a restart.</summary>
public sealed class SiloProcessTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("silo-process-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Silo_EmbeddedDefaults_AppliesKcatEventsServesStockAndSurvivesSigtermRestart()
    {
        var httpPort = FreePort.Next();
        var brokerPort = FreePort.Next();

        await using (var silo = SiloProcess.Start(_workingDirectory, httpPort, brokerPort))
        {
            await WaitUntilReadyAsync(silo);

            await Kcat.ProduceAsync(silo.Bootstrap, "inventory.events",
                """sku-1|{"eventId":"r-1","type":"Receipt","productId":"sku-1","quantity":10,"occurredAt":"2026-11-21T10:00:00Z"}""");
            await Kcat.ProduceAsync(silo.Bootstrap, "inventory.sales",
                """sku-1|{"eventId":"s-1","type":"Sale","productId":"sku-1","quantity":3,"occurredAt":"2026-11-21T10:05:00Z","locationId":"store-7"}""",
                """sku-1|{"eventId":"s-1","type":"Sale","productId":"sku-1","quantity":3,"occurredAt":"2026-11-21T10:05:00Z","locationId":"store-7"}""",
                """sku-1|not json""");

            var stock = await WaitForStockAsync(silo, "sku-1", s => s.GetProperty("version").GetInt64() == 2);
            Assert.Equal(7, stock.GetProperty("onHand").GetInt64());
            Assert.Equal(7, stock.GetProperty("available").GetInt64());
            Assert.Equal(-3, stock.GetProperty("locations").GetProperty("store-7").GetInt64());

            var outcomes = await WaitForRecordsAsync(silo, "inventory.outcomes", 3);
            Assert.Contains(outcomes, o => o.Contains("\"eventId\":\"s-1\"", StringComparison.Ordinal) && o.Contains("\"status\":\"Applied\"", StringComparison.Ordinal));
            Assert.Contains(outcomes, o => o.Contains("\"eventId\":\"s-1\"", StringComparison.Ordinal) && o.Contains("\"status\":\"Duplicate\"", StringComparison.Ordinal));
            var deadLetters = await WaitForRecordsAsync(silo, "inventory.dlq", 1);
            Assert.Equal("sku-1\tnot json", deadLetters.Single());
            var netStock = await WaitForRecordsAsync(silo, "inventory.net-stock", 2);
            Assert.Contains("\"available\":7", netStock.Last(), StringComparison.Ordinal);

            var tooLong = await _http.GetAsync(new Uri(silo.BaseAddress, "/api/stock/" + new string('x', 129)));
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
            Assert.Equal("application/problem+json", tooLong.Content.Headers.ContentType?.MediaType);

            var unknown = await _http.GetAsync(new Uri(silo.BaseAddress, "/api/stock/never-seen"));
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

            Assert.Equal(0, await silo.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        // Same working directory: the embedded broker's log and the SQLite file are where the first run left them.
        await using (var again = SiloProcess.Start(_workingDirectory, FreePort.Next(), brokerPort))
        {
            await WaitUntilReadyAsync(again);
            var stock = await WaitForStockAsync(again, "sku-1", s => s.GetProperty("version").GetInt64() == 2);
            Assert.Equal(7, stock.GetProperty("available").GetInt64());

            // The restarted silo resumed from its committed offsets: nothing was applied again.
            var outcomes = await Kcat.ConsumeAllAsync(again.Bootstrap, "inventory.outcomes");
            Assert.Equal(3, outcomes.Length);
            Assert.Equal(0, await again.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        Assert.True(File.Exists(Path.Combine(_workingDirectory, "data", "grains.db")), "the embedded default keeps grain state in data/grains.db");
        Assert.True(Directory.Exists(Path.Combine(_workingDirectory, "data", "kafka")), "the embedded default keeps the broker's log in data/kafka");
    }

    public void Dispose()
    {
        _http.Dispose();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the temp folder is cleaned by the OS later.
        }
    }

    private async Task WaitUntilReadyAsync(SiloProcess silo)
    {
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(silo.HasExited, "the silo exited during start-up:\n" + silo.Output);
                try
                {
                    var healthz = await _http.GetAsync(new Uri(silo.BaseAddress, "/healthz"));
                    var readyz = await _http.GetAsync(new Uri(silo.BaseAddress, "/readyz"));
                    return healthz.IsSuccessStatusCode && readyz.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            StartTimeout,
            "/healthz and /readyz answer 200");
    }

    private async Task<JsonElement> WaitForStockAsync(SiloProcess silo, string productId, Func<JsonElement, bool> condition)
    {
        JsonElement stock = default;
        await Eventually.TrueAsync(
            async () =>
            {
                var response = await _http.GetAsync(new Uri(silo.BaseAddress, "/api/stock/" + productId));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }

                stock = await response.Content.ReadFromJsonAsync<JsonElement>();
                return condition(stock);
            },
            TimeSpan.FromSeconds(60),
            $"the stock of {productId} is as expected");
        return stock;
    }

    private static async Task<string[]> WaitForRecordsAsync(SiloProcess silo, string topic, int count)
    {
        string[] records = [];
        await Eventually.TrueAsync(
            async () => (records = await Kcat.ConsumeAllAsync(silo.Bootstrap, topic)).Length >= count,
            TimeSpan.FromSeconds(60),
            $"{topic} holds {count} records");
        return records;
    }
}
