using System.Text;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Ingest.DeadLetter;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Avro;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Ingest.Tests.Avro;

/// <summary>
/// Avro input end to end: Confluent's AvroSerializer writes events against the DevBroker's registry, one silo of the
/// test cluster decides them with the JSON ones, and what it cannot read goes to the dead-letter topic with its reason.
/// </summary>
public sealed class AvroInputTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public async Task AvroAndJson_InterleavedOnOnePartition_DecidedInOrder()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var client = cluster.Client!;
        using var avro = new AvroTestClient(cluster.Broker!.SchemaRegistryUrl);
        var events = new[]
        {
            new InventoryEvent("mix-1", InventoryEventType.Receipt, "mix-p", 10, At),
            new InventoryEvent("mix-2", InventoryEventType.Adjustment, "mix-p", -2, At.AddSeconds(1)),
            new InventoryEvent("mix-3", InventoryEventType.Reservation, "mix-p", 5, At.AddSeconds(2), ReservationId: "r-1"),
            new InventoryEvent("mix-4", InventoryEventType.Reservation, "mix-p", 4, At.AddSeconds(3), ReservationId: "r-2"),
            new InventoryEvent("mix-5", InventoryEventType.ReservationRelease, "mix-p", 0, At.AddSeconds(4), ReservationId: "r-1"),
            new InventoryEvent("mix-6", InventoryEventType.TransferOut, "mix-p", 1, At.AddSeconds(5), LocationId: "dc-1", CorrelationId: "c-6"),
        };
        for (var i = 0; i < events.Length; i++)
        {
            if (i % 2 == 0)
            {
                await avro.ProduceAsync(client, events[i]);
            }
            else
            {
                client.Produce(Topics.Events, events[i]);
            }
        }

        client.Flush();
        await cluster.WaitForAllCommittedAsync(Patience);

        // Reservation r-2 (4) exceeds what is available after r-1 (8 - 5 = 3): rejected, as it would be in JSON.
        var outcomes = client.Outcomes().Where(o => o.EventId.StartsWith("mix-", StringComparison.Ordinal)).ToList();
        Assert.Equal(events.Select(e => e.EventId), outcomes.Select(o => o.EventId));
        Assert.Equal(["Applied", "Applied", "Applied", "Rejected", "Applied", "Applied"], outcomes.Select(o => o.Status));
        Assert.Equal([1L, 2, 3, 3, 4, 5], outcomes.Select(o => o.Version));
        Assert.Equal(outcomes.Select(o => o.Offset).Order(), outcomes.Select(o => o.Offset));
        var stock = client.NetStock("mix-p").MaxBy(s => s.Version)!;
        Assert.Equal(7, stock.OnHand);
        Assert.Equal(0, stock.Reserved);
        Assert.Equal(0, client.Count(Topics.DeadLetter));
    }

    [Fact]
    public async Task ProducerV2WithExtraOptionalFieldAndSymbol_EventsDecidedAndUnknownSymbolDeadLettered()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var client = cluster.Client!;
        using var avro = new AvroTestClient(cluster.Broker!.SchemaRegistryUrl);
        var v1 = new InventoryEvent("v-1", InventoryEventType.Receipt, "v-p", 10, At);
        var v2 = new InventoryEvent("v-2", InventoryEventType.Sale, "v-p", 3, At.AddSeconds(1));
        var recount = new InventoryEvent("v-3", InventoryEventType.Receipt, "v-p", 1, At.AddSeconds(2));
        await avro.ProduceAsync(client, v1);
        await avro.ProduceAsync(client, v2, AvroEvents.Record(v2, AvroEvents.V2, extra: new Dictionary<string, object?> { ["batchNumber"] = "B-7" }));
        await avro.ProduceAsync(client, recount, AvroEvents.Record(recount, AvroEvents.V2, typeSymbol: "Recount"));
        client.Flush();
        await cluster.WaitForAllCommittedAsync(Patience);

        var subject = AvroSchemas.ValueSubject(Topics.Sales);
        Assert.Contains(subject, await avro.Registry.GetAllSubjectsAsync());
        var outcomes = client.Outcomes().Where(o => o.EventId.StartsWith("v-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["v-1", "v-2"], outcomes.Select(o => o.EventId).Order());
        Assert.All(outcomes, o => Assert.Equal("Applied", o.Status));
        Assert.Equal(7, client.NetStock("v-p").MaxBy(s => s.Version)!.OnHand);
        var deadLetter = Assert.Single(client.ReadAll(Topics.DeadLetter));
        Assert.StartsWith(DlqReasons.UnknownType + ":", Reason(deadLetter), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableAvro_DeadLetteredWithReasonsAndConsumptionGoesOn()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var client = cluster.Client!;
        using var avro = new AvroTestClient(cluster.Broker!.SchemaRegistryUrl);
        var good = new InventoryEvent("u-good", InventoryEventType.Receipt, "u-p", 4, At);
        var registered = await avro.SerializeAsync(Topics.Events, AvroEvents.Record(good));
        var knownId = registered.AsSpan(1, 4).ToArray();
        var bad = new (string EventLabel, byte[] Value, string Code)[]
        {
            ("unknown id", [0, 0x7F, 0, 0, 1, 2, 3], DlqReasons.UnknownSchema),
            ("garbage", [0, .. knownId, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], DlqReasons.AvroDecode),
            ("short header", [0, 0, 1], DlqReasons.AvroDecode),
            ("trailing bytes", [.. registered, 42], DlqReasons.AvroDecode),
            ("wrong key", await avro.SerializeAsync(Topics.Events, AvroEvents.Record(good with { ProductId = "other" })), DlqReasons.KeyMismatch),
            ("bad quantity", await avro.SerializeAsync(Topics.Events, AvroEvents.Record(good with { EventId = "u-neg", Quantity = -1 })), DlqReasons.InvalidQuantity),
        };
        foreach (var (_, value, _) in bad)
        {
            client.Produce(Topics.Events, "u-p"u8.ToArray(), value);
        }

        client.Produce(Topics.Events, "u-p"u8.ToArray(), registered);
        client.Flush();
        await cluster.WaitForAllCommittedAsync(Patience);

        var deadLetters = client.ReadAll(Topics.DeadLetter);
        Assert.Equal(bad.Length, deadLetters.Count);
        for (var i = 0; i < bad.Length; i++)
        {
            Assert.True(Reason(deadLetters[i]).StartsWith(bad[i].Code + ":", StringComparison.Ordinal), $"{bad[i].EventLabel}: {Reason(deadLetters[i])}");
            Assert.Equal(bad[i].Value, deadLetters[i].Message.Value);
        }

        var outcome = Assert.Single(client.Outcomes(), o => o.EventId == "u-good");
        Assert.Equal("Applied", outcome.Status);
    }

    [Fact]
    public async Task RegistryOutage_PausesWithoutDeadLettersAndResumes()
    {
        await using var proxy = new TcpProxy();
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?>
        {
            ["SchemaRegistry:Url"] = proxy.Url,
            ["SchemaRegistry:RequestTimeoutMs"] = "1000",
            ["Kafka:RetryBackoffMaxMs"] = "200",
        });
        proxy.Target = new Uri(cluster.Broker!.SchemaRegistryUrl);
        var client = cluster.Client!;
        using var avro = new AvroTestClient(cluster.Broker.SchemaRegistryUrl);
        var silo = cluster.Silos[0];
        var health = InventoryTestCluster.Health(silo);

        // Registered straight at the registry; the silo, behind the closed proxy, has never seen the id.
        proxy.Close();
        var first = new InventoryEvent("o-1", InventoryEventType.Receipt, "o-p", 5, At);
        var second = new InventoryEvent("o-2", InventoryEventType.Receipt, "o-p", 2, At.AddSeconds(1));
        await avro.ProduceAsync(client, first);
        client.Produce(Topics.Events, second);
        client.Flush();

        await Eventually.TrueAsync(() => health.RegistryProblem is not null && !health.IsReady, Patience, "the silo reports the registry down and is not ready");
        Assert.Empty(client.ReadAll(Topics.DeadLetter));
        Assert.DoesNotContain(client.Outcomes(), o => o.EventId is "o-1" or "o-2");

        proxy.Open();
        await cluster.WaitForAllCommittedAsync(Patience);
        await Eventually.TrueAsync(() => health.IsReady, Patience, "the silo is ready again");
        Assert.Equal(["o-1", "o-2"], client.Outcomes().Where(o => o.EventId.StartsWith("o-", StringComparison.Ordinal)).Select(o => o.EventId));
        Assert.Empty(client.ReadAll(Topics.DeadLetter));
        Assert.Equal(7, client.NetStock("o-p").MaxBy(s => s.Version)!.OnHand);
    }

    private static string Reason(ConsumeResult<byte[], byte[]> deadLetter) =>
        Encoding.UTF8.GetString(deadLetter.Message.Headers.GetLastBytes(DeadLetters.ReasonHeader));
}
