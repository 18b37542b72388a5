using System.Diagnostics;
using System.Text;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using InventoryOrleans.TestSupport;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Cluster.Tests;

/// <summary>
/// Failure scenarios on the test cluster. Each ends with the same check (<see cref="TestCluster.VerifyAsync"/>):
/// every product's persisted state and highest-version net-stock record equal a replay of the input topics through
/// the reference model, and every event has exactly one decision, equal to the model's.
/// </summary>
public sealed class ClusterScenarioTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    // A silo killed mid-batch may have persisted up to one batch (Kafka:MaxBatchSize = 1000 here) whose outcomes it
    // never published; their replay answers Duplicate. The same bound covers a storage reply lost in an outage.
    private const int OneBatch = 1_000;

    [Fact]
    public async Task Cluster_SiloKilledAnotherStoppedANewOneStarted_StateAndOutcomesMatchModel()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 3);
        var events = ScenarioGenerator.Generate(products: 2_000, events: 100_000, duplicateShare: 0.05, seed: 11);
        var feeding = FeedAsync(cluster.Client!, events, chunks: 50);

        await WaitForOutcomesAsync(cluster, events.Count * 0.25);
        output.WriteLine($"{clock.Elapsed}: killing {cluster.Silos[0].Name}");
        await cluster.KillSiloAsync(cluster.Silos[0]);

        await WaitForOutcomesAsync(cluster, events.Count * 0.5);
        output.WriteLine($"{clock.Elapsed}: stopping {cluster.Silos[0].Name}");
        await cluster.StopSiloAsync(cluster.Silos[0]);
        var started = await cluster.StartSiloAsync();
        output.WriteLine($"{clock.Elapsed}: started {started.Name}");

        await feeding;
        await cluster.WaitForStableAssignmentAsync();
        await cluster.WaitForAllCommittedAsync(Patience);
        output.WriteLine($"{clock.Elapsed}: all committed");
        await StopAllAsync(cluster);

        var summary = await cluster.VerifyAsync();
        output.WriteLine($"{clock.Elapsed}: verified {summary}");
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.Equal(2_000, summary.Products);
        Assert.True(summary.Alerts > 100, $"only {summary.Alerts} low-stock alerts: the scenario hardly crosses the threshold");
    }

    [Fact]
    public async Task Cluster_RedisDownFiveSecondsMidStream_PausesThenResumesWithNothingLostOrDoubled()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2);
        var events = ScenarioGenerator.Generate(products: 500, events: 20_000, duplicateShare: 0.05, seed: 12);
        var feeding = FeedAsync(cluster.Client!, events, chunks: 20);

        await WaitForOutcomesAsync(cluster, events.Count * 0.3);
        await cluster.Redis.StopAsync();
        var down = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => cluster.Silos.Any(s => Health(s).PausedBecause is not null), TimeSpan.FromSeconds(30), "a silo reports the storage outage");
        var paused = cluster.Silos.First(s => Health(s).PausedBecause is not null);
        Assert.False(Health(paused).IsReady);
        Assert.NotNull(Health(paused).StorageProblem);

        // Redis stays down five seconds in all; the silos keep retrying meanwhile.
        var left = TimeSpan.FromSeconds(5) - down.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
        await cluster.Redis.StartAsync();

        await feeding;
        await cluster.WaitForAllCommittedAsync(Patience);
        await Eventually.TrueAsync(() => cluster.Silos.All(s => Health(s).PausedBecause is null), TimeSpan.FromSeconds(30), "the silos resume by themselves");
        await StopAllAsync(cluster);

        var summary = await cluster.VerifyAsync();
        Assert.Equal(events.Count, summary.ValidMessages);
    }

    [Fact]
    public async Task Cluster_BrokerRestartedFromItsDataDirectoryMidStream_NothingLostOrDoubled()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2);
        var first = ScenarioGenerator.Generate(products: 500, events: 10_000, duplicateShare: 0.05, seed: 13, productPrefix: "a");
        var second = ScenarioGenerator.Generate(products: 500, events: 10_000, duplicateShare: 0.05, seed: 14, productPrefix: "b");
        await FeedAsync(cluster.Client!, first, chunks: 10);

        await WaitForOutcomesAsync(cluster, first.Count * 0.3);
        await cluster.Broker!.RestartAsync(() => Task.Delay(TimeSpan.FromSeconds(2)));

        // Producing again after the restart goes through the same client (its connections recover by themselves).
        await FeedAsync(cluster.Client!, second, chunks: 10);
        await cluster.WaitForAllCommittedAsync(Patience);
        await StopAllAsync(cluster);

        var summary = await cluster.VerifyAsync();
        Assert.Equal(first.Count + second.Count, summary.ValidMessages);
    }

    [Fact]
    public async Task Cluster_ThousandMalformedMessagesMixedIn_AllDeadLetteredEverythingElseApplied()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 3);
        var events = ScenarioGenerator.Generate(products: 500, events: 20_000, duplicateShare: 0.05, seed: 15);
        var random = new Random(15);
        var produced = 0;
        for (var i = 0; i < events.Count; i++)
        {
            cluster.Client!.Produce(KafkaTestClient.TopicOf(events[i]), events[i]);
            if (i % 20 == 0)
            {
                var (topic, key, value) = Malformed(random, produced++);
                cluster.Client!.Produce(topic, key, value);
            }
        }

        cluster.Client!.Flush();
        Assert.Equal(1_000, produced);
        await cluster.WaitForAllCommittedAsync(Patience);
        await StopAllAsync(cluster);

        var summary = await cluster.VerifyAsync();
        Assert.Equal(1_000, summary.InvalidMessages);
        Assert.Equal(1_000, cluster.Client!.Count(Topics.DeadLetter));
        Assert.Equal(events.Count, summary.ValidMessages);
    }

    private static (string Topic, byte[]? Key, byte[]? Value) Malformed(Random random, int n)
    {
        var topic = Topics.Inputs[n % 3];
        var key = Encoding.UTF8.GetBytes($"product-{random.Next(500)}");
        var value = (n % 6) switch
        {
            0 => "{\"eventId\": \"broken"u8.ToArray(),
            1 => Encoding.UTF8.GetBytes($$"""{"eventId":"bad-{{n}}","type":"Sale","productId":"other","quantity":1,"occurredAt":"2026-01-01T00:00:00Z"}"""),
            2 => Encoding.UTF8.GetBytes($$"""{"eventId":"bad-{{n}}","type":"Nope","productId":"x","quantity":1,"occurredAt":"2026-01-01T00:00:00Z"}"""),
            3 => Encoding.UTF8.GetBytes($$"""{"eventId":"bad-{{n}}","type":"Sale","quantity":1,"occurredAt":"2026-01-01T00:00:00Z"}"""),
            4 => Encoding.UTF8.GetBytes($$"""{"eventId":"bad-{{n}}","type":"Sale","productId":"x","quantity":-1,"occurredAt":"2026-01-01T00:00:00Z"}"""),
            _ => "[]"u8.ToArray(),
        };
        return (topic, key, value);
    }

    private static Task FeedAsync(KafkaTestClient client, List<InventoryEvent> events, int chunks) =>
        Task.Run(() => client.ProduceInChunks(events, (events.Count + chunks - 1) / chunks));

    private static Task WaitForOutcomesAsync(InventoryTestCluster cluster, double count) =>
        Eventually.TrueAsync(() => cluster.Client!.LogEnd(Topics.Outcomes) >= count, Patience, $"{count:0} outcomes are published");

    private static async Task StopAllAsync(InventoryTestCluster cluster)
    {
        foreach (var silo in cluster.Silos.ToList())
        {
            await cluster.StopSiloAsync(silo);
        }
    }
}
