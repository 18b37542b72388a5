using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>
/// The lost decision: a silo dies after its batch is persisted and before a single outcome of it is published. The
/// next silo gets the batch again (nothing was committed) and must publish the decisions themselves — Applied or
/// Rejected, same reason, same version — not Duplicate, or whoever waits for those events never learns their fate.
/// </summary>
public sealed class LostDecisionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Pipeline_SiloDiesBetweenPersistAndPublish_NextSiloPublishesEveryOriginalDecision()
    {
        var events = ScenarioGenerator.Generate(products: 50, events: 2_000, duplicateShare: 0.05, seed: 21);
        await using var cluster = await StartOneSiloAsync();
        var lost = await KillBetweenPersistAndPublishAsync(cluster, events);
        var client = cluster.Client!;

        // The fault hit between persist and publish: decisions are stored, none is on the outcomes topic.
        Assert.True(lost > 0, "the first batch held events");
        Assert.Equal(0, client.Count(Topics.Outcomes));
        var persisted = 0L;
        foreach (var productId in events.Select(e => e.ProductId).Distinct())
        {
            persisted += (await cluster.Stored.StockAsync(productId))?.Version ?? 0;
        }

        Assert.True(persisted > 0, "the killed batch persisted its changes");
        output.WriteLine($"killed after persisting a batch of {lost} of {events.Count} events (stored versions add up to {persisted}); nothing published");

        await cluster.StartSiloAsync();
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(cluster.Silos[0]);

        // Every message's outcome records equal the model's decision (so the redelivered ones are Applied/Rejected
        // with their reason and version, never Duplicate), every eventId is decided once, stock and state match.
        var summary = await cluster.VerifyAsync();
        output.WriteLine($"verified: {summary}");
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.Equal(events.Select(e => e.EventId).Distinct().Count(), summary.Decisions);
        var decisions = client.Outcomes().Where(o => o.Status != "Duplicate").ToList();
        Assert.Equal(summary.Decisions, decisions.Select(o => o.EventId).Distinct().Count());
        Assert.All(decisions.GroupBy(o => o.EventId), same => Assert.Single(same.Select(o => o.Json).Distinct()));
    }

    /// <summary>
    /// The same fault on products that keep crossing their own thresholds (set by events): the killed batch raised
    /// alerts and persisted them with its state, but none reached <c>inventory.alerts</c>. The next silo replays the
    /// batch and must publish every one of them — the model's alerts exactly, a repeat identical to the first.
    /// </summary>
    [Fact]
    public async Task Pipeline_SiloDiesBetweenPersistAndPublish_NextSiloPublishesEveryAlertTheBatchRaised()
    {
        var events = CrossingScenarioGenerator.Generate(products: 40, events: 2_000, duplicateShare: 0.05, seed: 23);
        await using var cluster = await StartOneSiloAsync();
        var lost = await KillBetweenPersistAndPublishAsync(cluster, events);
        var client = cluster.Client!;

        // The batch crossed thresholds: its stored states hold the alerts it raised, the topic holds none of them.
        Assert.Equal(0, client.Count(Topics.Alerts));
        var stored = 0;
        foreach (var productId in events.Select(e => e.ProductId).Distinct())
        {
            stored += (await cluster.Stored.ReadAsync(productId))?.RecentAlerts.Count ?? 0;
        }

        Assert.True(stored > 0, "the killed batch raised alerts");
        output.WriteLine($"killed after persisting a batch of {lost} of {events.Count} events ({stored} alerts kept in the stored states); nothing published");

        await cluster.StartSiloAsync();
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(cluster.Silos[0]);

        // Every alert the model raised is on the topic and no other; two records for one crossing are the same record.
        var summary = await cluster.VerifyAsync();
        output.WriteLine($"verified: {summary}");
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.True(summary.Alerts >= 1_000, $"only {summary.Alerts} alerts: the scenario hardly crosses");
        var alerts = client.Alerts();
        Assert.All(alerts.GroupBy(a => (a.ProductId, a.Version)), same => Assert.Single(same.Select(a => a.Json).Distinct()));
        Assert.Equal(summary.Alerts, alerts.Select(a => (a.ProductId, a.Version)).Distinct().Count());
    }

    // The first batch waits a second for more messages, so the fault takes a large batch down with it.
    private static Task<InventoryTestCluster> StartOneSiloAsync() => InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?>
    {
        ["Kafka:BatchLingerMs"] = "1000",
        ["Kafka:MaxBatchSize"] = "5000",
    });

    // Feeds the events and kills the only silo at the fault point: raised on the pipeline's thread once the first
    // batch's products are applied and persisted and before anything is published (killed there, the loop neither
    // publishes nor commits). Returns how many events the killed silo had consumed.
    private static async Task<long> KillBetweenPersistAndPublishAsync(InventoryTestCluster cluster, List<InventoryEvent> events)
    {
        var doomed = cluster.Silos[0];
        var pipeline = Service<IngestPipeline>(doomed);
        var faulted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Service<BatchFaults>(doomed).Applied += () =>
        {
            pipeline.Kill();
            faulted.TrySetResult();
        };

        cluster.Client!.ProduceAll(events);
        await faulted.Task.WaitAsync(Patience);
        var lost = InventoryTestCluster.Metrics(doomed).Snapshot().EventsConsumed;
        await cluster.KillSiloAsync(doomed);
        return lost;
    }
}
