using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Node;

namespace InventoryOrleans.Ingest.Tests.Avro;

/// <summary>
/// A second implementation of Confluent's wire format against the real ingest: npm's @kafkajs/confluent-schema-registry
/// (avsc) and kafkajs, run by kafkajs-ingest.js, register InventoryEvent.avsc, produce framed Sale/Receipt events, and
/// decode the silo's Avro outcomes and net stock (<c>Kafka:OutputFormat=avro</c>) with the schemas fetched by id.
/// </summary>
public sealed class KafkajsIngestTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task NpmRegistryClient_ProducesAvroAndDecodesAvroOutput_EventsAppliedInOrder()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?> { ["Kafka:OutputFormat"] = "avro" });
        var broker = cluster.Broker!;
        var folder = NodeScript.Folder(Path.Combine("tests", "Ingest.Tests", "Avro"), Path.Combine("@kafkajs", "confluent-schema-registry"));
        var schema = Path.Combine(NodeScript.RepositoryRoot, "Grains.Interfaces", "Avro", "Schemas", "InventoryEvent.avsc");

        var (exitCode, output) = await NodeScript.RunAsync(folder, "kafkajs-ingest.js", broker.SchemaRegistryUrl, broker.BootstrapServers, schema);

        Assert.True(exitCode == 0, $"node kafkajs-ingest.js exited with {exitCode}:\n{output}");
        await cluster.WaitForAllCommittedAsync(Patience);
        var outcomes = Records(output, "outcome ").ToDictionary(o => o.GetProperty("eventId").GetString()!);
        Assert.Equal(["npm-1", "npm-2", "npm-3", "npm-4", "npm-5"], outcomes.Keys.Order(StringComparer.Ordinal));
        Assert.All(outcomes.Values, o => Assert.Equal("Applied", o.GetProperty("status").GetString()));
        Assert.All(outcomes.Values, o => Assert.Equal(Topics.Sales, o.GetProperty("topic").GetString()));
        long Version(string eventId) => outcomes[eventId].GetProperty("version").GetInt64();
        Assert.Equal([1L, 2, 3], [Version("npm-1"), Version("npm-3"), Version("npm-5")]);
        Assert.Equal([1L, 2], [Version("npm-2"), Version("npm-4")]);

        var stock = Records(output, "net-stock ").GroupBy(s => s.GetProperty("productId").GetString()!)
            .ToDictionary(g => g.Key, g => g.MaxBy(s => s.GetProperty("version").GetInt64()));
        Assert.Equal(3, stock["npm-p1"].GetProperty("onHand").GetInt64());
        Assert.Equal("npm-5", stock["npm-p1"].GetProperty("lastEventId").GetString());
        Assert.Equal(3, stock["npm-p2"].GetProperty("onHand").GetInt64());
        Assert.Equal(0, cluster.Client!.Count(Topics.DeadLetter));
    }

    private static IEnumerable<JsonElement> Records(string output, string prefix) =>
        output.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l[prefix.Length..]).RootElement);
}
