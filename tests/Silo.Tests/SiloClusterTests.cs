using System.Diagnostics;
using System.Globalization;
using System.Net;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Xunit.Abstractions;

namespace InventoryOrleans.Silo.Tests;

/// <summary>
/// A real cluster of processes: a standalone DevBroker, a real <c>redis-server</c> and two silo executables with the
/// same <c>Orleans__ClusterId</c>, which form one Orleans cluster (membership in Redis) and one consumer group. One
/// silo is killed (SIGKILL) or frozen (SIGSTOP); the other must serve the victim's products again within the bounds the
/// product promises (failure detection tuned to 1 s probes, 2 missed), take over its partitions, and leave every
/// event decided and every product's state equal to the reference model.
/// </summary>
public sealed class SiloClusterTests(ITestOutputHelper output) : SiloTestBase(output)
{
    private const string ServiceId = "inventory-orleans";
    private const int Partitions = 12;

    // The products of the victim's partitions whose reads are timed.
    private const int ProbeCount = 16;

    // After SIGKILL the victim's products are served again within 5 s; after SIGSTOP (a hang) within 10 s.
    private static readonly TimeSpan AfterKillBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AfterFreezeBound = TimeSpan.FromSeconds(10);

    // How long reads are timed before giving up, so a missed bound is reported with its figure.
    private static readonly TimeSpan MeasureFor = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Cluster_SiloSigkilledMidStream_SurvivorServesItsProductsWithinFiveSecondsAndEveryEventMatchesModel()
    {
        var (survivor, victim, client, redis) = await StartClusterAsync();
        var probes = await ProbeVictimProductsAsync(client, survivor, victim);

        var events = ScenarioGenerator.Generate(products: 400, events: 20_000, duplicateShare: 0.05, seed: 31, productPrefix: "stream");
        var feeding = EventFeed.StartAsync(client, events, chunks: 40, tick: TimeSpan.FromMilliseconds(100));
        var probeEvents = ProbeCount * 2;
        await Eventually.TrueAsync(() => client.LogEnd(Topics.Outcomes) >= probeEvents + (events.Count * 0.3), SiloTimeouts.Drain, "30% of the stream is decided");

        var sinceKill = Stopwatch.StartNew();
        await victim.Process.KillAsync();
        Log($"SIGKILL {victim.Name} with {client.LogEnd(Topics.Outcomes)} outcomes published");
        var served = await TimeUntilServedAsync(survivor, probes, sinceKill);
        Log($"after SIGKILL, {survivor.Name} served the victim's products again after {Figures(served)}");
        AssertWithin(served, AfterKillBound, "SIGKILL");

        await feeding.WaitAsync(SiloTimeouts.Drain);
        await SiloWaits.AllCommittedAsync(client, SiloTimeouts.Drain);
        Log("every input message committed");
        await WaitUntilOwnsAllAsync(survivor);

        await using var stored = new StoredProducts(redis, ServiceId);
        var summary = await new PipelineVerifier(client, stored).VerifyAsync();
        Log($"verified: {summary}");
        Assert.Equal(events.Count + probeEvents, summary.ValidMessages);
        Assert.Equal(400 + ProbeCount, summary.Products);

        // Every product, the victim's included, reads through the survivor as stored (and so as the model says).
        foreach (var productId in events.Select(e => e.ProductId).Concat(probes.Select(p => p.ProductId)).Distinct())
        {
            var expected = await stored.StockAsync(productId);
            var (status, stock) = await survivor.GetStockAsync(Http, productId);
            if (expected is null || expected.Version == 0)
            {
                Assert.True(status == HttpStatusCode.NotFound, $"{productId}: {status}, nothing stored");
                continue;
            }

            Assert.True(status == HttpStatusCode.OK, $"{productId}: {status}");
            Assert.True(
                expected.Version == stock.GetProperty("version").GetInt64() && expected.OnHand == stock.GetProperty("onHand").GetInt64()
                    && expected.Reserved == stock.GetProperty("reserved").GetInt64() && expected.InTransit == stock.GetProperty("inTransit").GetInt64()
                    && expected.Available == stock.GetProperty("available").GetInt64(),
                $"{productId}: served {stock}, stored {expected}");
        }
    }

    [Fact]
    public async Task Cluster_SiloFrozenWithSigstop_SurvivorServesItsProductsWithinTenSecondsAndTakesOverItsPartitions()
    {
        var (survivor, victim, client, _) = await StartClusterAsync();
        var probes = await ProbeVictimProductsAsync(client, survivor, victim);

        var sinceFreeze = Stopwatch.StartNew();
        await victim.Process.FreezeAsync();
        Log($"SIGSTOP {victim.Name}");
        var served = await TimeUntilServedAsync(survivor, probes, sinceFreeze);
        Log($"after SIGSTOP, {survivor.Name} served the victim's products again after {Figures(served)}");
        AssertWithin(served, AfterFreezeBound, "SIGSTOP");

        // The frozen silo's consumer stops heartbeating: its partitions move to the survivor after the session timeout,
        // and events for its products are decided there.
        foreach (var probe in probes)
        {
            client.Produce(Topics.Events, new InventoryEvent($"{probe.ProductId}-later", InventoryEventType.Adjustment, probe.ProductId, -1, DateTimeOffset.UtcNow));
        }

        client.Flush();
        foreach (var probe in probes)
        {
            var stock = await SiloWaits.StockAsync(Http, survivor, probe.ProductId, s => s.GetProperty("version").GetInt64() == probe.Version + 1);
            Assert.Equal(probe.OnHand - 1, stock.GetProperty("onHand").GetInt64());
        }

        Log($"{survivor.Name} decided new events of the frozen silo's products");
        await SiloWaits.AllCommittedAsync(client, SiloTimeouts.Drain);
        await WaitUntilOwnsAllAsync(survivor);
    }

    /// <summary>
    /// A silo frozen (SIGSTOP) in the middle of a stream, longer than the Kafka session timeout and the transaction
    /// timeout, then thawed (SIGCONT): the survivor takes its partitions over and decides what it had not committed;
    /// whatever the frozen silo does when it wakes — finish its batch, publish, commit — is refused (its group
    /// generation is gone, its open transaction was aborted), so a <c>read_committed</c> reader sees exactly one outcome
    /// per message, each product's versions strictly rising and each crossing once.
    /// </summary>
    [Fact]
    public async Task Cluster_SiloFrozenMidStreamBeyondTheSessionTimeoutThenThawed_NothingItDoesAfterWakingIsVisible()
    {
        var (survivor, victim, client, redis) = await StartClusterAsync();
        var events = ScenarioGenerator.Generate(products: 400, events: 20_000, duplicateShare: 0.05, seed: 37, productPrefix: "frozen");
        var feeding = EventFeed.StartAsync(client, events, chunks: 40, tick: TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => client.LogEnd(Topics.Outcomes) >= events.Count * 0.3, SiloTimeouts.Drain, "30% of the stream is decided");

        var sinceFreeze = Stopwatch.StartNew();
        await victim.Process.FreezeAsync();
        Log($"SIGSTOP {victim.Name} with {client.LogEnd(Topics.Outcomes)} output offsets");
        await WaitUntilOwnsAllAsync(survivor, SiloTimeouts.Drain);
        Log($"{survivor.Name} owns every partition {sinceFreeze.Elapsed.TotalSeconds:0.0} s after the freeze");

        // Past the session timeout and the transaction timeout (10 s each): the frozen silo's open transaction is aborted.
        await Eventually.TrueAsync(() => sinceFreeze.Elapsed > TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), "the frozen silo's transaction timed out");
        await victim.Process.ThawAsync();
        Log($"SIGCONT {victim.Name} after {sinceFreeze.Elapsed.TotalSeconds:0.0} s");

        // Awake, it learns it was declared dead and stops; whatever it did until then is on the log by now.
        await Eventually.TrueAsync(() => victim.Process.HasExited, SiloTimeouts.Drain, $"{victim.Name} stops once it learns it was declared dead");
        Log($"{victim.Name} exited");

        await feeding.WaitAsync(SiloTimeouts.Drain);
        await SiloWaits.AllCommittedAsync(client, SiloTimeouts.Drain);
        Log("every input message committed");

        await using var stored = new StoredProducts(redis, ServiceId);
        var summary = await new PipelineVerifier(client, stored).VerifyAsync();
        Log($"verified: {summary}");
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.Equal(events.Count, summary.Outcomes);
    }

    private static string Figures(IReadOnlyList<TimeSpan?> served) =>
        $"max {Seconds(served.Max())}, median {Seconds(served.Order().ElementAt(served.Count / 2))} ({string.Join(", ", served.Select(Seconds))})";

    private static string Seconds(TimeSpan? time) => time is { } t ? $"{t.TotalSeconds:0.000} s" : "never";

    private static void AssertWithin(IReadOnlyList<TimeSpan?> served, TimeSpan bound, string signal)
    {
        Assert.True(
            served.All(t => t is { } time && time <= bound),
            $"after {signal} the survivor must serve every product of the victim within {bound.TotalSeconds} s: {Figures(served)}");
    }

    /// <summary>A standalone DevBroker process, a redis-server and two silos in one Orleans cluster that split the partitions.</summary>
    private async Task<(SiloProcess Survivor, SiloProcess Victim, KafkaTestClient Client, string Redis)> StartClusterAsync()
    {
        var brokerPort = FreePort.Next();
        var brokerDirectory = NewDirectory("silo-cluster-broker-");
        var brokerDll = Path.Combine(AppContext.BaseDirectory, "InventoryOrleans.DevBroker.dll");
        var broker = await StartProcessAsync("devbroker", brokerDirectory, "dotnet",
            [brokerDll, "--port", brokerPort.ToString(CultureInfo.InvariantCulture), "--data-dir", Path.Combine(brokerDirectory, "kafka"), "--no-schema-registry"]);
        var redisPort = FreePort.Next();
        var redis = await StartProcessAsync("redis-server", NewDirectory("silo-cluster-redis-"), "redis-server",
            ["--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"]);
        await Eventually.TrueAsync(() => broker.Output.Contains("DevBroker listening on", StringComparison.Ordinal), SiloTimeouts.Start, "the DevBroker listens");
        await Eventually.TrueAsync(() => redis.Output.Contains("Ready to accept connections", StringComparison.Ordinal), SiloTimeouts.Start, "redis-server accepts connections");
        Log($"DevBroker on {brokerPort}, redis-server on {redisPort}");

        var bootstrap = $"127.0.0.1:{brokerPort}";
        var redisConnection = $"127.0.0.1:{redisPort},abortConnect=false,connectTimeout=2000,syncTimeout=5000";
        var settings = new Dictionary<string, string?>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Redis__ConnectionString"] = $"127.0.0.1:{redisPort}",
            ["Orleans__ClusterId"] = "silo-tests-" + Guid.NewGuid().ToString("N")[..8],
        };
        var first = await StartSiloAsync("silo-a", NewDirectory("silo-cluster-a-"), SiloPorts.Free(), settings);
        var second = await StartSiloAsync("silo-b", NewDirectory("silo-cluster-b-"), SiloPorts.Free(), settings);
        await Task.WhenAll(first.WaitUntilReadyAsync(Http, SiloTimeouts.Start), second.WaitUntilReadyAsync(Http, SiloTimeouts.Start));

        // One consumer group: each silo consumes some partitions, together all of them, none twice.
        int[] a = [], b = [];
        await Eventually.TrueAsync(
            async () =>
            {
                a = await PartitionsOfAsync(first);
                b = await PartitionsOfAsync(second);
                return a.Length > 0 && b.Length > 0 && !a.Intersect(b).Any() && a.Union(b).Order().SequenceEqual(Enumerable.Range(0, Partitions));
            },
            SiloTimeouts.Start,
            "the two silos split the 12 partitions between them");
        Log($"{first.Name} consumes {string.Join(",", a)}; {second.Name} consumes {string.Join(",", b)}");

        var client = new KafkaTestClient(bootstrap);
        Track(new DisposeAction(client.Dispose));
        Assert.Equal(Partitions, client.Partitions(Topics.Events).Count);
        return (first, second, client, redisConnection);
    }

    /// <summary>
    /// Gives products of the victim's partitions a known stock (their grains live on the victim: placement puts a product
    /// where its partition is consumed), and reads each through the survivor too, so the survivor knows where they live.
    /// </summary>
    private async Task<List<Probe>> ProbeVictimProductsAsync(KafkaTestClient client, SiloProcess survivor, SiloProcess victim)
    {
        var owned = (await PartitionsOfAsync(victim)).ToHashSet();
        var productIds = Enumerable.Range(0, 10_000).Select(i => $"probe-{i}").Where(id => owned.Contains(Murmur2Partitioner.Partition(id, Partitions))).Take(ProbeCount).ToList();
        var probes = new List<Probe>();
        var at = DateTimeOffset.UtcNow;
        foreach (var (productId, i) in productIds.Select((id, i) => (id, i)))
        {
            client.Produce(Topics.Events, new InventoryEvent($"{productId}-receipt", InventoryEventType.Receipt, productId, 20 + i, at));
            client.Produce(Topics.Events, new InventoryEvent($"{productId}-adjust", InventoryEventType.Adjustment, productId, -1, at));
            probes.Add(new Probe(productId, 19 + i, 2));
        }

        client.Flush();
        foreach (var probe in probes)
        {
            await SiloWaits.StockAsync(Http, victim, probe.ProductId, s => s.GetProperty("version").GetInt64() == probe.Version);
            var stock = await SiloWaits.StockAsync(Http, survivor, probe.ProductId, s => s.GetProperty("version").GetInt64() == probe.Version);
            Assert.Equal(probe.OnHand, stock.GetProperty("onHand").GetInt64());
        }

        Log($"{probes.Count} products of {victim.Name}'s partitions hold their stock and read through both silos");
        return probes;
    }

    /// <summary>
    /// Reads every probe through the survivor, each in its own loop of short requests (a read stuck on the dead silo is
    /// abandoned after a second and asked again), until it answers 200 with the probe's stock; returns when that
    /// happened, counted from the signal (null: not within <see cref="MeasureFor"/>).
    /// </summary>
    private async Task<IReadOnlyList<TimeSpan?>> TimeUntilServedAsync(SiloProcess survivor, IReadOnlyList<Probe> probes, Stopwatch sinceSignal)
    {
        var reads = probes.Select(async probe =>
        {
            while (sinceSignal.Elapsed < MeasureFor)
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try
                {
                    var (status, stock) = await survivor.GetStockAsync(Http, probe.ProductId, attempt.Token);
                    if (status == HttpStatusCode.OK && stock.GetProperty("version").GetInt64() == probe.Version && stock.GetProperty("onHand").GetInt64() == probe.OnHand)
                    {
                        return (TimeSpan?)sinceSignal.Elapsed;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }

                await Task.Delay(20);
            }

            return null;
        });
        return await Task.WhenAll(reads);
    }

    // /readyz answers from a cache of up to two seconds, so the takeover shows there a moment later.
    private Task WaitUntilOwnsAllAsync(SiloProcess survivor, TimeSpan? timeout = null) => Eventually.TrueAsync(
        async () => (await PartitionsOfAsync(survivor)).SequenceEqual(Enumerable.Range(0, Partitions)),
        timeout ?? TimeSpan.FromSeconds(30),
        $"{survivor.Name}'s /readyz lists all {Partitions} partitions");

    private async Task<int[]> PartitionsOfAsync(SiloProcess silo)
    {
        var readiness = await silo.ReadinessAsync(Http);
        return readiness is { } r && r.TryGetProperty("checks", out var checks) && checks.GetProperty("partitions").TryGetProperty("partitions", out var list)
            ? [.. list.EnumerateArray().Select(p => p.GetInt32())]
            : [];
    }

    private sealed record Probe(string ProductId, long OnHand, long Version);

    private sealed class DisposeAction(Action dispose) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            dispose();
            return ValueTask.CompletedTask;
        }
    }
}
