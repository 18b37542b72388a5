using System.Net;
using System.Text.Json;
using InventoryOrleans.Ingest.Kafka;
using Xunit.Abstractions;

namespace InventoryOrleans.Silo.Tests;

/// <summary>The silo executable with its embedded defaults, end to end through kcat and HTTP, across a SIGTERM and a restart.</summary>
public sealed class SiloProcessTests(ITestOutputHelper output) : SiloTestBase(output)
{
    [Fact]
    public async Task Silo_EmbeddedDefaults_AppliesKcatEventsServesStockAndSurvivesSigtermRestart()
    {
        var workingDirectory = NewDirectory("silo-process-");
        var ports = SiloPorts.Free();
        var partition = Murmur2Partitioner.Partition("sku-1", 12);

        var silo = await StartSiloAsync("silo", workingDirectory, ports);
        await silo.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        var readiness = await silo.ReadinessAsync(Http);
        Assert.NotNull(readiness);
        var partitions = readiness.Value.GetProperty("checks").GetProperty("partitions");
        Assert.True(partitions.GetProperty("ok").GetBoolean());
        Assert.Equal(Enumerable.Range(0, 12), partitions.GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32()));
        Assert.False(readiness.Value.GetProperty("checks").GetProperty("broker").TryGetProperty("partitions", out _), "only the partitions check lists partitions");

        await Kcat.ProduceAsync(silo.Bootstrap, "inventory.events",
            """sku-1|{"eventId":"r-1","type":"Receipt","productId":"sku-1","quantity":10,"occurredAt":"2026-11-21T10:00:00Z"}""");
        await Kcat.ProduceAsync(silo.Bootstrap, "inventory.sales",
            """sku-1|{"eventId":"s-1","type":"Sale","productId":"sku-1","quantity":3,"occurredAt":"2026-11-21T10:05:00Z","locationId":"store-7"}""",
            """sku-1|{"eventId":"s-1","type":"Sale","productId":"sku-1","quantity":3,"occurredAt":"2026-11-21T10:05:00Z","locationId":"store-7"}""",
            """sku-1|not json""");

        var stock = await SiloWaits.StockAsync(Http, silo, "sku-1", s => s.GetProperty("version").GetInt64() == 2);
        Assert.Equal(7, stock.GetProperty("onHand").GetInt64());
        Assert.Equal(7, stock.GetProperty("available").GetInt64());
        Assert.Equal(-3, stock.GetProperty("locations").GetProperty("store-7").GetInt64());

        // One outcome per consumed message, naming the message it decided (kcat's murmur2 puts sku-1 on one partition).
        var outcomes = (await SiloWaits.RecordsAsync(silo.Bootstrap, "inventory.outcomes", 3)).Select(ParseValue).ToList();
        Assert.Equal(3, outcomes.Count);
        AssertOutcome(outcomes, "r-1", "Applied", 1, "inventory.events", partition, 0);
        AssertOutcome(outcomes, "s-1", "Applied", 2, "inventory.sales", partition, 0);
        AssertOutcome(outcomes, "s-1", "Duplicate", 2, "inventory.sales", partition, 1);

        var deadLetters = await SiloWaits.RecordsAsync(silo.Bootstrap, "inventory.dlq", 1);
        Assert.Equal("sku-1\tnot json", deadLetters.Single());
        // One record per product per batch that changed it: the receipt and the sale may share a batch, so one or two records.
        var netStock = (await SiloWaits.RecordsAsync(
                silo.Bootstrap,
                "inventory.net-stock",
                records => records.Any(r => ParseValue(r).GetProperty("version").GetInt64() == 2),
                "inventory.net-stock holds sku-1 at version 2"))
            .Select(ParseValue)
            .ToList();
        var latest = netStock.MaxBy(r => r.GetProperty("version").GetInt64());
        Assert.Equal("sku-1", latest.GetProperty("productId").GetString());
        Assert.Equal(7, latest.GetProperty("onHand").GetInt64());
        Assert.Equal(7, latest.GetProperty("available").GetInt64());
        Assert.Equal("s-1", latest.GetProperty("lastEventId").GetString());

        using var tooLong = await Http.GetAsync(new Uri(silo.BaseAddress, "/api/stock/" + new string('x', 129)));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("application/problem+json", tooLong.Content.Headers.ContentType?.MediaType);

        using var unknown = await Http.GetAsync(new Uri(silo.BaseAddress, "/api/stock/never-seen"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        Assert.Equal(0, await silo.Process.TerminateAsync(SiloTimeouts.Stop));

        // Same working directory and ports: the broker's log and Garnet's append-only file are where the first run left them.
        var again = await StartSiloAsync("silo-again", workingDirectory, ports);
        await again.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        var stockAgain = await SiloWaits.StockAsync(Http, again, "sku-1", s => s.GetProperty("version").GetInt64() == 2);
        Assert.Equal(7, stockAgain.GetProperty("available").GetInt64());

        // The restarted silo resumed from its committed offsets: nothing was decided again.
        Assert.Equal(3, (await Kcat.ConsumeAllAsync(again.Bootstrap, "inventory.outcomes")).Length);

        // A post makes the API's producer. The embedded broker outlives it at the stop, so it never reports the broker down.
        using (var sale = await Http.PostAsync(new Uri(again.BaseAddress, "/api/sales?wait=true"), new StringContent("""{"productId":"sku-1","quantity":1}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, sale.StatusCode);
        }

        Assert.Equal(0, await again.Process.TerminateAsync(SiloTimeouts.Stop));
        Assert.DoesNotContain("brokers are down", again.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection refused", again.Process.Output, StringComparison.Ordinal);

        Assert.True(Directory.EnumerateFiles(Path.Combine(workingDirectory, "data", "redis"), "*", SearchOption.AllDirectories).Any(),
            "the embedded default keeps Garnet's append-only file under data/redis");
        Assert.True(Directory.EnumerateFiles(Path.Combine(workingDirectory, "data", "kafka"), "*.log", SearchOption.AllDirectories).Any(),
            "the embedded default keeps the broker's log under data/kafka");
    }

    private static JsonElement ParseValue(string keyTabValue) => JsonDocument.Parse(keyTabValue[(keyTabValue.IndexOf('\t', StringComparison.Ordinal) + 1)..]).RootElement.Clone();

    private static void AssertOutcome(List<JsonElement> outcomes, string eventId, string status, long version, string topic, int partition, long offset)
    {
        var match = outcomes.SingleOrDefault(o => o.GetProperty("topic").GetString() == topic && o.GetProperty("offset").GetInt64() == offset);
        Assert.True(match.ValueKind == JsonValueKind.Object, $"no outcome for {topic} offset {offset} among {string.Join(" | ", outcomes)}");
        Assert.Equal(eventId, match.GetProperty("eventId").GetString());
        Assert.Equal("sku-1", match.GetProperty("productId").GetString());
        Assert.Equal(status, match.GetProperty("status").GetString());
        Assert.Equal(version, match.GetProperty("version").GetInt64());
        Assert.Equal(partition, match.GetProperty("partition").GetInt32());
    }
}
