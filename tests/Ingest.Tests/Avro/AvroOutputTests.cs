using System.Globalization;
using System.Text.Json;
using Avro.Generic;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport.Avro;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Ingest.Tests.Avro;

/// <summary>
/// <c>Kafka:OutputFormat=avro</c>: the same input, run once with JSON output and once with Avro output, gives the same
/// outcomes, alerts and final net stock once the Avro records are read back with Confluent's AvroDeserializer.
/// </summary>
public sealed class AvroOutputTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AvroOutput_DecodedByConfluentDeserializer_EqualsJsonOutput()
    {
        var events = ScenarioGenerator.Generate(products: 20, events: 600, duplicateShare: 0.05, seed: 11);
        var json = await RunAsync(events, "json");
        var avro = await RunAsync(events, "avro");

        Assert.Equal(events.Count, json.Outcomes.Count);
        Assert.NotEmpty(json.Alerts);
        Assert.Equal(json.Outcomes, avro.Outcomes);
        Assert.Equal(json.Alerts, avro.Alerts);
        Assert.Equal(json.NetStock, avro.NetStock);
    }

    // The run's outputs as comparable lines (clock-based timestamps left out: they differ between runs), sorted.
    private static async Task<(List<string> Outcomes, List<string> Alerts, List<string> NetStock)> RunAsync(IReadOnlyList<InventoryEvent> events, string format)
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?> { ["Kafka:OutputFormat"] = format });
        var client = cluster.Client!;
        client.ProduceAll(events);
        await cluster.WaitForAllCommittedAsync(Patience);
        using var avro = new AvroTestClient(cluster.Broker!.SchemaRegistryUrl);
        if (format == "avro")
        {
            var subjects = await avro.Registry.GetAllSubjectsAsync();
            Assert.Contains(AvroSchemas.ValueSubject(Topics.NetStock), subjects);
            Assert.Contains(AvroSchemas.ValueSubject(Topics.Outcomes), subjects);
            Assert.Contains(AvroSchemas.ValueSubject(Topics.Alerts), subjects);
        }

        async Task<List<string>> Read(string topic, Func<JsonElement, string> fromJson, Func<GenericRecord, string> fromAvro)
        {
            var lines = new List<string>();
            foreach (var record in client.ReadAll(topic))
            {
                lines.Add(format == "avro"
                    ? fromAvro(await avro.DeserializeAsync(topic, record.Message.Value))
                    : fromJson(JsonDocument.Parse(record.Message.Value).RootElement));
            }

            return [.. lines.Order(StringComparer.Ordinal)];
        }

        var outcomes = await Read(
            Topics.Outcomes,
            j => Line(j.GetProperty("eventId").GetString(), j.GetProperty("productId").GetString(), j.GetProperty("status").GetString(), j.GetProperty("reason").GetString(), j.GetProperty("version").GetInt64(), j.GetProperty("correlationId").GetString(), j.GetProperty("topic").GetString(), j.GetProperty("partition").GetInt32(), j.GetProperty("offset").GetInt64()),
            a => Line(a["eventId"], a["productId"], ((GenericEnum)a["status"]).Value, a["reason"], a["version"], a["correlationId"], a["topic"], a["partition"], a["offset"]));
        var alerts = await Read(
            Topics.Alerts,
            j => Line(j.GetProperty("productId").GetString(), j.GetProperty("available").GetInt64(), j.GetProperty("threshold").GetInt64(), j.GetProperty("state").GetString(), j.GetProperty("version").GetInt64()),
            a => Line(a["productId"], a["available"], a["threshold"], ((GenericEnum)a["state"]).Value, a["version"]));
        var netStock = await Read(
            Topics.NetStock,
            j => Line(j.GetProperty("productId").GetString(), j.GetProperty("version").GetInt64(), j.GetProperty("onHand").GetInt64(), j.GetProperty("reserved").GetInt64(), j.GetProperty("inTransit").GetInt64(), j.GetProperty("available").GetInt64(), j.GetProperty("lastEventId").GetString(), string.Join(',', j.GetProperty("locations").EnumerateObject().Select(l => $"{l.Name}={l.Value.GetInt64()}").Order(StringComparer.Ordinal)), j.GetProperty("lowStock").GetBoolean(), j.GetProperty("lowStockThreshold").GetInt64()),
            a => Line(a["productId"], a["version"], a["onHand"], a["reserved"], a["inTransit"], a["available"], a["lastEventId"], string.Join(',', ((IDictionary<string, object>)a["locations"]).Select(l => $"{l.Key}={l.Value}").Order(StringComparer.Ordinal)), a["lowStock"], a["lowStockThreshold"]));

        // Batching decides how many net-stock records a product gets; its newest version is the same either way.
        var newest = netStock.GroupBy(l => l.Split('|')[0]).Select(g => g.MaxBy(l => long.Parse(l.Split('|')[1], CultureInfo.InvariantCulture))!).Order(StringComparer.Ordinal).ToList();
        return (outcomes, alerts, newest);
    }

    private static string Line(params object?[] values) =>
        string.Join('|', values.Select(v => v switch { null => "null", bool b => b ? "true" : "false", IFormattable f => f.ToString(null, CultureInfo.InvariantCulture), _ => v.ToString() }));
}
