using System.Text;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.DeadLetter;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>
/// The pipeline end to end on one silo of the inventory test cluster (Orleans, the DevBroker, a real Redis): a client
/// produces input messages and reads the output topics; most runs end with <see cref="PipelineVerifier"/>.
/// </summary>
public sealed class IngestPipelineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Pipeline_EventsIn_OutcomesNetStockAndStateMatchModel()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var events = ScenarioGenerator.Generate(products: 60, events: 3_000, duplicateShare: 0.05, seed: 1);
        cluster.Client!.ProduceAll(events);

        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(cluster.Silos[0]);

        var summary = await cluster.VerifyAsync();
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.Equal(events.Count, summary.Outcomes);
        Assert.Equal(events.Select(e => e.EventId).Distinct().Count(), summary.Decisions);
    }

    [Fact]
    public async Task Pipeline_BacklogWithBadMessagesInterleaved_EveryEventDecidedAndEveryBadMessageDeadLettered()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);

        // Produced while no silo consumes, so the first batches are large (parsed in parallel) and mix good and bad.
        await cluster.StopSiloAsync(cluster.Silos[0]);
        var client = cluster.Client!;
        var events = ScenarioGenerator.Generate(products: 40, events: 2_000, duplicateShare: 0.05, seed: 7, productPrefix: "backlog");
        var badCount = 0;
        for (var i = 0; i < events.Count; i++)
        {
            client.Produce(KafkaTestClient.TopicOf(events[i]), events[i]);
            if (i % 50 == 0)
            {
                client.Produce(Topics.Events, Encoding.UTF8.GetBytes(events[i].ProductId), Encoding.UTF8.GetBytes($"not json {i}"));
                badCount++;
            }
        }

        client.Flush();
        await cluster.StartSiloAsync();
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(cluster.Silos[0]);

        var summary = await cluster.VerifyAsync();
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.Equal(badCount, summary.InvalidMessages);
        Assert.Equal(events.Count, summary.Outcomes);
        Assert.Equal(badCount, client.Count(Topics.DeadLetter));
    }

    [Fact]
    public async Task Pipeline_BadMessages_GoToDlqUnchangedWithHeadersAndConsumptionGoesOn()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var client = cluster.Client!;
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
            client.Produce(Topics.Events, key, value);
        }

        client.Produce(Topics.Events, good);
        client.Flush();

        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(cluster.Silos[0]);

        var deadLetters = client.ReadAll(Topics.DeadLetter);
        Assert.Equal(bad.Length, deadLetters.Count);
        foreach (var (key, value, code) in bad)
        {
            var match = deadLetters.Single(d => (d.Message.Value ?? []).AsSpan().SequenceEqual(value ?? []) && (d.Message.Key ?? []).AsSpan().SequenceEqual(key ?? []));
            Assert.StartsWith(code + ":", Encoding.UTF8.GetString(match.Message.Headers.GetLastBytes(DeadLetters.ReasonHeader)), StringComparison.Ordinal);
            Assert.Equal(Topics.Events, Encoding.UTF8.GetString(match.Message.Headers.GetLastBytes(DeadLetters.TopicHeader)));
        }

        var summary = await cluster.VerifyAsync();
        Assert.Equal(bad.Length, summary.InvalidMessages);
        Assert.Equal(1, summary.Outcomes);
        Assert.Equal("Applied", Assert.Single(client.Outcomes()).Status);
    }

    [Fact]
    public async Task Pipeline_ReplayFromEarlierOffsets_RepeatsEveryOriginalOutcomeAndChangesNothing()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var client = cluster.Client!;
        var events = ScenarioGenerator.Generate(products: 40, events: 1_500, duplicateShare: 0.05, seed: 2);
        client.ProduceAll(events);
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(cluster.Silos[0]);
        var lastStockBefore = client.ReadAll(Topics.NetStock)
            .GroupBy(r => Encoding.UTF8.GetString(r.Message.Key))
            .ToDictionary(g => g.Key, g => Encoding.UTF8.GetString(g.Last().Message.Value));
        var netStockEnds = client.Ends(Topics.NetStock);

        // As if the commits never happened (a crash before commit): the whole input is delivered again.
        client.CommitOffsets(GroupId, Topics.Inputs, 0);
        await cluster.StartSiloAsync();
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(cluster.Silos[0]);

        // Each message now has two outcome records, the second a copy of the first: a decision stays the decision
        // (never Duplicate), a duplicate stays a duplicate at the version it had.
        var byMessage = client.Outcomes().GroupBy(o => (o.Topic, o.Partition, o.Offset)).ToList();
        Assert.Equal(events.Count, byMessage.Count);
        Assert.All(byMessage, records =>
        {
            Assert.Equal(2, records.Count());
            Assert.Equal(records.First().Json, records.Last().Json);
        });
        var duplicatesInInput = events.Count - events.Select(e => e.EventId).Distinct().Count();
        Assert.Equal(2 * duplicatesInInput, byMessage.Sum(g => g.Count(o => o.Status == "Duplicate")));

        // The replay changed no stock: a product's net stock may be published again (a crash could have lost it the
        // first time), but only as an identical copy of its last record before the replay.
        var republished = client.ReadAll(Topics.NetStock).Where(r => r.Offset.Value >= netStockEnds[r.Partition.Value]).ToList();
        Assert.All(republished, r => Assert.Equal(lastStockBefore[Encoding.UTF8.GetString(r.Message.Key)], Encoding.UTF8.GetString(r.Message.Value)));

        // An operator's rewind delivers committed messages again on purpose: their outcomes repeat (identically), so
        // the run is checked without the one-record-per-message rule.
        await new PipelineVerifier(client, cluster.Stored, strict: false).VerifyAsync();
    }

    [Fact]
    public async Task Stop_Graceful_CommitsEveryConsumedOffset()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var client = cluster.Client!;
        var events = ScenarioGenerator.Generate(products: 30, events: 1_000, duplicateShare: 0, seed: 3);
        client.ProduceAll(events);
        await Eventually.TrueAsync(() => client.Count(Topics.Outcomes) >= events.Count, Patience, "every event has its outcome");

        await cluster.StopSiloAsync(cluster.Silos[0]);

        foreach (var topic in Topics.Inputs)
        {
            var committed = client.Committed(GroupId, topic);
            foreach (var partition in client.ReadAll(topic).GroupBy(r => r.Partition.Value))
            {
                Assert.Equal(partition.Max(r => r.Offset.Value) + 1, committed[partition.Key]);
            }
        }
    }

    [Fact]
    public async Task Metrics_AfterABatch_CountEventsOutcomesDeadLettersAndLocalGrainCalls()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var client = cluster.Client!;
        client.ProduceAll([new InventoryEvent("m-1", InventoryEventType.Receipt, "p-m", 3, ScenarioGenerator.Epoch),
            new InventoryEvent("m-1", InventoryEventType.Receipt, "p-m", 3, ScenarioGenerator.Epoch)]);
        client.Produce(Topics.Events, "p-m"u8.ToArray(), "{"u8.ToArray());
        client.Flush();

        var metrics = InventoryTestCluster.Metrics(cluster.Silos[0]);

        // Outcomes and dead letters are counted once published, a batch once committed (after its publish).
        await Eventually.TrueAsync(
            () => metrics.Snapshot() is { DeadLettered: 1, Batches: >= 1 } counted && counted.OutcomesByStatus[OutcomeStatus.Duplicate] == 1,
            Patience,
            "the batch is counted");

        var snapshot = metrics.Snapshot();
        Assert.Equal(3, snapshot.EventsConsumed);
        Assert.Equal(1, snapshot.OutcomesByStatus[OutcomeStatus.Applied]);
        Assert.Equal(1, snapshot.NetStockPublished);
        Assert.True(snapshot.BatchLatencyCounts.Sum() >= 1);

        // One silo consumes every partition, so every product grain lives where its events are consumed.
        Assert.True(snapshot.GrainCalls >= 1, $"{snapshot.GrainCalls} grain calls");
        Assert.Equal(0, snapshot.RemoteGrainCalls);

        // Where a batch's time goes, stage by stage (the benchmark prints these).
        Assert.Equal(Enum.GetValues<IngestStage>().Order(), snapshot.TimeByStage.Keys.Order());
        Assert.All([IngestStage.Parse, IngestStage.Apply, IngestStage.Publish, IngestStage.Commit], stage => Assert.True(snapshot.TimeByStage[stage] > TimeSpan.Zero, $"{stage} took time"));
    }
}
