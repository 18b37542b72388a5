using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.DeadLetter;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Ingest.Parsing;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.Runtime.Storage.Sqlite;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>The pipeline end to end: an in-process DevBroker, one silo with SQLite storage, a client producing and reading topics.</summary>
public sealed class IngestPipelineTests : EmbeddedSiloTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private PipelineVerifier Verifier() => new(Client, new SqliteGrainStorage(new SqliteGrainDatabase(SqlitePath)));

    private void ProduceAll(IEnumerable<InventoryEvent> events)
    {
        foreach (var e in events)
        {
            Client.Produce(KafkaTestClient.TopicOf(e), e);
        }

        Client.Flush();
    }

    private Task WaitForOutcomesAsync(long count) =>
        Eventually.TrueAsync(() => Client.Count(Topics.Outcomes) >= count, Patience, $"{count} outcomes are published");

    [Fact]
    public async Task Pipeline_EventsIn_OutcomesNetStockAndStateMatchModel()
    {
        await using var silo = await StartSiloAsync();
        var events = ScenarioGenerator.Generate(products: 60, events: 3_000, duplicateShare: 0.05, seed: 1);
        ProduceAll(events);

        await WaitForOutcomesAsync(events.Count);
        await silo.StopAsync();

        var summary = await Verifier().VerifyAsync();
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.Equal(events.Count, summary.Outcomes);
        Assert.Equal(0, summary.UnpublishedDecisions);
    }

    [Fact]
    public async Task Pipeline_BacklogWithBadMessagesInterleaved_EveryEventDecidedAndEveryBadMessageDeadLettered()
    {
        // Produced before the silo starts, so the first batches are large (parsed in parallel) and mix good and bad.
        await new TopicBootstrapper(Microsoft.Extensions.Options.Options.Create(new KafkaOptions { BootstrapServers = Broker.BootstrapServers }), TimeProvider.System, NullLogger<TopicBootstrapper>.Instance)
            .EnsureTopicsAsync(CancellationToken.None);
        var events = ScenarioGenerator.Generate(products: 40, events: 2_000, duplicateShare: 0.05, seed: 7, productPrefix: "backlog");
        var badCount = 0;
        for (var i = 0; i < events.Count; i++)
        {
            Client.Produce(KafkaTestClient.TopicOf(events[i]), events[i]);
            if (i % 50 == 0)
            {
                Client.Produce(Topics.Events, Encoding.UTF8.GetBytes(events[i].ProductId), Encoding.UTF8.GetBytes($"not json {i}"));
                badCount++;
            }
        }

        Client.Flush();
        await using var silo = await StartSiloAsync();
        await WaitForOutcomesAsync(events.Count);
        await Eventually.TrueAsync(() => Client.Count(Topics.DeadLetter) >= badCount, Patience, "every bad message is dead-lettered");
        await silo.StopAsync();

        var summary = await Verifier().VerifyAsync();
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.Equal(badCount, summary.InvalidMessages);
        Assert.Equal(events.Count, summary.Outcomes);
        Assert.Equal(0, summary.UnpublishedDecisions);
    }

    [Fact]
    public async Task Pipeline_BadMessages_GoToDlqUnchangedWithHeadersAndConsumptionGoesOn()
    {
        await using var silo = await StartSiloAsync();
        var good = new InventoryEvent("good-1", InventoryEventType.Receipt, "p-1", 5, ScenarioGenerator.Epoch);
        var oversized = Encoding.UTF8.GetBytes($$"""{"eventId":"big","type":"Receipt","productId":"p-1","quantity":1,"occurredAt":"2026-01-01T00:00:00Z","pad":"{{new string('x', InventoryEventParser.MaxMessageBytes)}}"}""");
        var bad = new (byte[]? Key, byte[]? Value, string Code)[]
        {
            ("p-1"u8.ToArray(), "not json"u8.ToArray(), DlqReasons.NotJson),
            ("p-2"u8.ToArray(), EventJson.Serialize(good with { EventId = "wrong-key" }), DlqReasons.KeyMismatch),
            (null, EventJson.Serialize(good with { EventId = "no-key" }), DlqReasons.KeyMismatch),
            ("p-1"u8.ToArray(), """{"eventId":"t","type":"Teleport","productId":"p-1","quantity":1,"occurredAt":"2026-01-01T00:00:00Z"}"""u8.ToArray(), DlqReasons.UnknownType),
            ("p-1"u8.ToArray(), """{"eventId":"q","type":"Sale","productId":"p-1","quantity":"1","occurredAt":"2026-01-01T00:00:00Z"}"""u8.ToArray(), DlqReasons.WrongType),
            ("p-1"u8.ToArray(), oversized, DlqReasons.TooLarge),
            ("p-1"u8.ToArray(), null, DlqReasons.NotJson),
        };
        foreach (var (key, value, _) in bad)
        {
            Client.Produce(Topics.Events, key, value);
        }

        Client.Produce(Topics.Events, good);
        Client.Flush();

        await WaitForOutcomesAsync(1);
        await Eventually.TrueAsync(() => Client.Count(Topics.DeadLetter) >= bad.Length, Patience, "every bad message is dead-lettered");
        await silo.StopAsync();

        var deadLetters = Client.ReadAll(Topics.DeadLetter);
        Assert.Equal(bad.Length, deadLetters.Count);
        var reasons = deadLetters.Select(d => Encoding.UTF8.GetString(d.Message.Headers.GetLastBytes(DeadLetters.ReasonHeader))).ToList();
        foreach (var (key, value, code) in bad)
        {
            var match = deadLetters.Single(d => (d.Message.Value ?? []).AsSpan().SequenceEqual(value ?? []) && (d.Message.Key ?? []).AsSpan().SequenceEqual(key ?? []));
            Assert.StartsWith(code + ":", Encoding.UTF8.GetString(match.Message.Headers.GetLastBytes(DeadLetters.ReasonHeader)), StringComparison.Ordinal);
            Assert.Equal(Topics.Events, Encoding.UTF8.GetString(match.Message.Headers.GetLastBytes(DeadLetters.TopicHeader)));
        }

        Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r)));
        var summary = await Verifier().VerifyAsync();
        Assert.Equal(bad.Length, summary.InvalidMessages);
        Assert.Equal(1, summary.Outcomes);
    }

    [Fact]
    public async Task Pipeline_ReplayFromEarlierOffsets_IsNoOp()
    {
        var events = ScenarioGenerator.Generate(products: 40, events: 1_500, duplicateShare: 0.05, seed: 2);
        ProduceAll(events);
        await using (var first = await StartSiloAsync())
        {
            await WaitForOutcomesAsync(events.Count);
            await first.StopAsync();
        }

        var netStockBefore = Client.Count(Topics.NetStock);

        // As if the commits never happened (a crash before commit): the whole input is delivered again.
        Client.CommitOffsets("inventory-silo", Topics.Inputs, 0);
        await using (var second = await StartSiloAsync("silo-2"))
        {
            await WaitForOutcomesAsync(events.Count * 2L);
            await second.StopAsync();
        }

        var replayed = Client.ReadAll(Topics.Outcomes).Select(r => JsonDocument.Parse(r.Message.Value).RootElement.GetProperty("status").GetString()).ToList();
        Assert.Equal(events.Count * 2, replayed.Count);
        Assert.Equal(events.Count + CountDuplicatesInInput(events), replayed.Count(s => s == "Duplicate"));
        Assert.Equal(netStockBefore, Client.Count(Topics.NetStock));
        await Verifier().VerifyAsync();
    }

    private static int CountDuplicatesInInput(List<InventoryEvent> events) => events.Count - events.Select(e => e.EventId).Distinct().Count();

    [Fact]
    public async Task Stop_Graceful_CommitsEveryConsumedOffset()
    {
        var events = ScenarioGenerator.Generate(products: 30, events: 1_000, duplicateShare: 0, seed: 3);
        ProduceAll(events);
        var silo = await StartSiloAsync();
        await WaitForOutcomesAsync(events.Count);

        await silo.StopAsync();

        foreach (var topic in Topics.Inputs)
        {
            var committed = Client.Committed("inventory-silo", topic);
            foreach (var record in Client.ReadAll(topic).GroupBy(r => r.Partition.Value))
            {
                Assert.Equal(record.Max(r => r.Offset.Value) + 1, committed[record.Key]);
            }
        }
    }

    [Fact]
    public async Task Metrics_AfterABatch_CountEventsOutcomesAndDeadLetters()
    {
        await using var silo = await StartSiloAsync();
        ProduceAll([new InventoryEvent("m-1", InventoryEventType.Receipt, "p-m", 3, ScenarioGenerator.Epoch),
            new InventoryEvent("m-1", InventoryEventType.Receipt, "p-m", 3, ScenarioGenerator.Epoch)]);
        Client.Produce(Topics.Events, "p-m"u8.ToArray(), "{"u8.ToArray());
        Client.Flush();

        var metrics = silo.Services.GetRequiredService<IngestMetrics>();
        await Eventually.TrueAsync(() => metrics.Snapshot().DeadLettered == 1 && metrics.Snapshot().OutcomesByStatus[OutcomeStatus.Duplicate] == 1, Patience, "the batch is counted");

        var snapshot = metrics.Snapshot();
        Assert.Equal(3, snapshot.EventsConsumed);
        Assert.Equal(1, snapshot.OutcomesByStatus[OutcomeStatus.Applied]);
        Assert.Equal(1, snapshot.NetStockPublished);
        Assert.True(snapshot.Batches >= 1);
        Assert.True(snapshot.BatchLatencyCounts.Sum() >= 1);

        // Where a batch's time goes, stage by stage (the benchmark prints these).
        Assert.Equal(Enum.GetValues<IngestStage>().Order(), snapshot.TimeByStage.Keys.Order());
        Assert.All([IngestStage.Parse, IngestStage.Apply, IngestStage.Publish, IngestStage.Commit], stage => Assert.True(snapshot.TimeByStage[stage] > TimeSpan.Zero, $"{stage} took time"));
    }

    [Fact]
    public async Task Expiry_ReservationPastExpiresAt_ReleasedAndPublishedWithoutAnotherEvent()
    {
        await using var silo = await StartSiloAsync();
        var now = DateTimeOffset.UtcNow;
        ProduceAll([new InventoryEvent("x-1", InventoryEventType.Receipt, "p-x", 10, now),
            new InventoryEvent("x-2", InventoryEventType.Reservation, "p-x", 4, now, ReservationId: "r-1", ExpiresAt: now.AddSeconds(2))]);

        await Eventually.TrueAsync(
            () => Client.ReadAll(Topics.NetStock).Any(r => Stock(r) is { Version: 3, Reserved: 0, Available: 10 }),
            Patience,
            "the expired reservation is released and published");
    }

    [Fact]
    public async Task Expiry_WhileABatchHoldsTheNetStockGate_PublishesOnlyAfterTheBatch()
    {
        await using var silo = await StartSiloAsync();

        // Warm up (group joined, topics assigned) so the reservation below is applied well before it expires.
        ProduceAll([new InventoryEvent("g-0", InventoryEventType.Receipt, "p-g", 10, DateTimeOffset.UtcNow)]);
        await Eventually.TrueAsync(() => Client.ReadAll(Topics.NetStock).Any(r => Stock(r).Version == 1), Patience, "the receipt is published");
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(4);
        ProduceAll([new InventoryEvent("g-1", InventoryEventType.Reservation, "p-g", 4, DateTimeOffset.UtcNow, ReservationId: "r-1", ExpiresAt: expiresAt)]);
        await Eventually.TrueAsync(() => Client.ReadAll(Topics.NetStock).Any(r => Stock(r).Version == 2), Patience, "the reservation is published");

        // A batch in flight holds the gate from its grain changes until its records are delivered; a sweep that
        // published meanwhile could land an older version after the batch's newer one on the compacted topic.
        var gate = silo.Services.GetRequiredService<NetStockWriterGate>();
        gate.Enter(CancellationToken.None);
        try
        {
            Assert.True(DateTimeOffset.UtcNow < expiresAt, "precondition: the gate is held before the reservation expires");
            // Several sweep intervals (1 s) past the expiry: without the gate the release would be published by now.
            await Eventually.TrueAsync(() => DateTimeOffset.UtcNow > expiresAt.AddSeconds(3), Patience, "three sweeps have passed the expiry");
            Assert.DoesNotContain(Client.ReadAll(Topics.NetStock), r => Stock(r).Version == 3);
        }
        finally
        {
            gate.Exit();
        }

        await Eventually.TrueAsync(
            () => Client.ReadAll(Topics.NetStock).Any(r => Stock(r) is { Version: 3, Reserved: 0 }),
            Patience,
            "the release is published once the batch lets go");
    }

    private static (long Version, long Reserved, long Available) Stock(ConsumeResult<byte[], byte[]> record)
    {
        var root = JsonDocument.Parse(record.Message.Value).RootElement;
        return (root.GetProperty("version").GetInt64(), root.GetProperty("reserved").GetInt64(), root.GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task Start_InputPartitionCountsDiffer_RefusesWithClearMessage()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([
                new TopicSpecification { Name = Topics.Snapshots, NumPartitions = 12, ReplicationFactor = 1 },
                new TopicSpecification { Name = Topics.Sales, NumPartitions = 3, ReplicationFactor = 1 },
            ]);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartSiloAsync());

        Assert.Contains("inventory.sales=3", error.Message, StringComparison.Ordinal);
        Assert.Contains("partition count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Murmur2Partitioner_MatchesLibrdkafkaMurmur2Random()
    {
        await using var silo = await StartSiloAsync();
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = Broker.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();

        for (var i = 0; i < 200; i++)
        {
            var key = $"key-{i}-é";
            var report = await producer.ProduceAsync("inventory.dlq", new Message<string, string> { Key = key, Value = "x" });
            Assert.Equal(InventoryOrleans.Ingest.Kafka.Murmur2Partitioner.Partition(key, 12), report.Partition.Value);
        }
    }
}
