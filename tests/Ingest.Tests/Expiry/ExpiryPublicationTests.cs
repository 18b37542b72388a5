using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Metrics;
using StackExchange.Redis;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Ingest.Tests.Expiry;

/// <summary>
/// Reservation expiry with the pipeline: the product grain's Orleans reminder releases an expired reservation while
/// the product is idle and queues it (<see cref="Ingest.Expiry.ExpiryQueue"/>), and the pipeline of the silo owning its
/// partition puts the new net stock on <c>inventory.net-stock</c> in its transaction — within 5 s of <c>expiresAt</c>
/// (docs/CONTRACTS.md), across a silo restart, and again when the silo died before its transaction committed. Times are the
/// silo's: a net-stock record's timestamp is when the silo produced it and its <c>updatedAt</c> when the grain released
/// the reservation, so a loaded test machine that reads the topic late does not blur the bound.
/// </summary>
public sealed class ExpiryPublicationTests(ITestOutputHelper output)
{
    private const string Product = "p-x";
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Receipt 10 is above it, the reservation of 4 (available 6) below it.
    private static readonly Dictionary<string, string?> LowStockThresholdSeven = new() { ["Inventory:LowStockThreshold"] = "7" };

    [Fact]
    public async Task Expiry_IdleProduct_ReleasedAndPublishedWithinFiveSecondsOfExpiresAt()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var expiresAt = await ReserveAsync(cluster, TimeSpan.FromSeconds(3));

        var released = await ReleasedAsync(cluster);

        AssertReleasedWithin(released, expiresAt, expiresAt + Promise);
        var stored = await cluster.Stored.StockAsync(Product);
        Assert.Equal((3L, 0L, "x-2"), (stored!.Version, stored.Reserved, stored.LastEventId));
    }

    /// <summary>
    /// The only silo stops (gracefully, or killed: its grain's activation is never deactivated) before
    /// <c>expiresAt</c>; a new one is up before it, or starts only after it. While no silo runs nothing can release
    /// anything, and only the silo that owns the product's partition may publish for it (in its transactions), so the
    /// bound is 5 s after <c>expiresAt</c> or after the new silo owns the partitions, whichever is later: the reminder
    /// is durable in Redis, and the new silo's reminder service fires an overdue one within the reminder's period (2 s).
    /// </summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task Expiry_OnlySiloRestartedAroundExpiresAt_ReleasedAndPublishedWithinFiveSeconds(bool newSiloUpBeforeExpiry, bool killed)
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var expiresAt = await ReserveAsync(cluster, TimeSpan.FromSeconds(newSiloUpBeforeExpiry ? 10 : 3));

        await (killed ? cluster.KillSiloAsync(cluster.Silos[0]) : cluster.StopSiloAsync(cluster.Silos[0]));
        Assert.True(DateTimeOffset.UtcNow < expiresAt, "precondition: the silo was gone before the reservation expired");
        if (!newSiloUpBeforeExpiry)
        {
            await Eventually.TrueAsync(() => DateTimeOffset.UtcNow > expiresAt + TimeSpan.FromSeconds(1), Patience, "the reservation expired while no silo ran");
        }

        await cluster.StartSiloAsync();
        var up = DateTimeOffset.UtcNow;
        output.WriteLine($"new silo up {(up - expiresAt).TotalSeconds:0.00} s after expiresAt");
        Assert.True(newSiloUpBeforeExpiry == up < expiresAt, $"precondition: the new silo was up {(up - expiresAt).TotalSeconds:0.0} s after expiresAt");
        var owning = await OwningAsync(cluster);

        var released = await ReleasedAsync(cluster);

        AssertReleasedWithin(released, expiresAt, (owning > expiresAt ? owning : expiresAt) + Promise);
    }

    /// <summary>
    /// The silo dies after the grain released the reservation and persisted the release, and after the pipeline took it
    /// into an attempt (the grain stored that the release goes out in it), before that transaction committed: the test
    /// kills the silo at the pipeline's fault point. Nothing of the attempt is visible; the grain's reminder keeps firing,
    /// and on the next silo it fires again, the release counts as unpublished (its attempt's epoch ended without it) and
    /// the new owner publishes it, once.
    /// </summary>
    [Fact]
    public async Task Expiry_SiloDiesAfterReleaseBeforeItsTransactionCommits_NextSiloPublishesTheReleaseOnce()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var expiresAt = await ReserveAsync(cluster, TimeSpan.FromSeconds(3));
        var doomed = cluster.Silos[0];
        await KillAtTheNextAttemptAsync(cluster, doomed);
        Assert.DoesNotContain(cluster.Client!.NetStock(Product), r => r.Version == 3);

        await cluster.StartSiloAsync();
        var up = DateTimeOffset.UtcNow;
        var owning = await OwningAsync(cluster);
        var released = await ReleasedAsync(cluster);

        output.WriteLine($"new silo up {(up - expiresAt).TotalSeconds:0.00} s after expiresAt");
        AssertReleasedWithin(released, expiresAt, owning + Promise);
        Assert.True(released.UpdatedAt < up, "released (and persisted) by the killed silo; the new one only published it");

        // Published and known so: the grain stops asking (its reminder is gone) and its state says so.
        await Eventually.TrueAsync(
            async () => await cluster.Stored.ReadAsync(Product) is { ExpiryPublishPending: false }
                && await Service<IReminderTable>(cluster.Silos[0]).ReadRow(ProductGrain.IdOf(Product), ProductGrain.ExpiryReminder) is null,
            Patience,
            "the grain dropped its expiry reminder");
        Assert.Single(cluster.Client!.NetStock(Product), r => r.Version == 3);
    }

    /// <summary>
    /// With the default threshold at 7 the reservation (10 on hand, 4 reserved) makes the product low; its expiry lifts
    /// it back above: the reminder's release raises the Recovered alert, which goes out with the expiry's net stock.
    /// </summary>
    [Fact]
    public async Task Expiry_ReleaseLiftsAvailableAboveTheThreshold_RecoveredAlertWithTheExpirysNetStock()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, LowStockThresholdSeven);
        await ReserveAsync(cluster, TimeSpan.FromSeconds(3));

        var released = await ReleasedAsync(cluster);

        var alerts = await AlertsUpToAsync(cluster, version: 3);
        Assert.Equal([("Low", 6L, 7L, 2L), ("Recovered", 10L, 7L, 3L)], alerts.Select(a => (a.State, a.Available, a.Threshold, a.Version)));
        Assert.Equal(released.UpdatedAt, alerts[1].At);
        var stock = cluster.Client!.NetStock(Product).First(r => r.Version == 3);
        Assert.Equal((false, 7L), (stock.LowStock, stock.LowStockThreshold));
    }

    /// <summary>
    /// The Recovered alert of a release persisted by a silo that died before its transaction committed (killed as in
    /// <see cref="Expiry_SiloDiesAfterReleaseBeforeItsTransactionCommits_NextSiloPublishesTheReleaseOnce"/>): the next
    /// silo publishes it with the release's net stock, as the dead silo raised it, once.
    /// </summary>
    [Fact]
    public async Task Expiry_SiloDiesAfterARecoveringReleaseBeforeItsTransactionCommits_NextSiloPublishesTheRecoveredAlertOnce()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, LowStockThresholdSeven);
        await ReserveAsync(cluster, TimeSpan.FromSeconds(3));
        await KillAtTheNextAttemptAsync(cluster, cluster.Silos[0]);
        Assert.DoesNotContain(cluster.Client!.Alerts(), a => a.Version == 3);

        await cluster.StartSiloAsync();
        var released = await ReleasedAsync(cluster);

        var alerts = await AlertsUpToAsync(cluster, version: 3);
        Assert.Equal([("Low", 2L), ("Recovered", 3L)], alerts.Select(a => (a.State, a.Version)));
        Assert.Equal((10L, 7L, released.UpdatedAt), (alerts[1].Available, alerts[1].Threshold, alerts[1].At));
        Assert.Single(cluster.Client!.Alerts(), a => a.ProductId == Product && a.Version == 3);
    }

    /// <summary>
    /// Events of the product keep arriving while its reservation expires: the release goes out with a batch or on its
    /// own, through the same transactions, so a <c>read_committed</c> reader sees the product's versions strictly
    /// rising, none twice, the last one the model's.
    /// </summary>
    [Fact]
    public async Task Expiry_WhileEventsOfTheProductKeepComing_NetStockVersionsStrictlyRising()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var expiresAt = await ReserveAsync(cluster, TimeSpan.FromSeconds(2));

        var receipts = 0;
        while (DateTimeOffset.UtcNow < expiresAt + TimeSpan.FromSeconds(4))
        {
            cluster.Client!.ProduceAll([new InventoryEvent($"x-r{++receipts}", InventoryEventType.Receipt, Product, 1, DateTimeOffset.UtcNow)]);
            await Task.Delay(150);
        }

        await cluster.WaitForAllCommittedAsync(Patience);
        var last = 2 + receipts + 1;
        await Eventually.TrueAsync(() => cluster.Client!.NetStock(Product).Any(r => r.Version == last), Patience, $"version {last} (the receipts and the release) is published");

        var versions = cluster.Client!.NetStock(Product).Select(r => r.Version).ToList();
        Assert.True(versions.Zip(versions.Skip(1)).All(p => p.First < p.Second), $"versions in topic order: {string.Join(", ", versions)}");
        var final = cluster.Client!.NetStock(Product).Last();
        Assert.Equal((10L + receipts, 0L), (final.OnHand, final.Reserved));
    }

    /// <summary>
    /// A reservation expires on a hot product: a snapshot of it arrives every 50 ms, alternately far below and far above
    /// the threshold, so every change crosses and raises an alert. The release is acknowledged once the published
    /// version reaches the release's version — the product's current version has always moved on by then — so it
    /// settles while the events keep coming (the stored state no longer has it pending, the reminder is gone) and stays
    /// settled for more than two retry periods; nothing is published twice; and the alerts the grain keeps for
    /// republication are, in every state sampled, only those after its published version.
    /// </summary>
    [Fact]
    public async Task Expiry_HotProduct_ReleaseSettlesWhileEventsKeepComing_NothingRepublishedAndOnlyUnpublishedAlertsKept()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, LowStockThresholdSeven);
        var expiresAt = await ReserveAsync(cluster, TimeSpan.FromSeconds(2));
        var reminders = Service<IReminderTable>(cluster.Silos[0]);
        var hold = TimeSpan.FromSeconds(5);
        var snapshots = 0;
        var samples = 0;
        var keptAlerts = 0;
        DateTimeOffset? settled = null;
        while (settled is null || DateTimeOffset.UtcNow < settled + hold)
        {
            Assert.True(DateTimeOffset.UtcNow < expiresAt + Patience, $"the release settled within {Patience.TotalSeconds:0} s of expiresAt while {snapshots} snapshots came");
            var onHand = ++snapshots % 2 == 0 ? 30 : 2;
            cluster.Client!.ProduceAll([new InventoryEvent($"x-s{snapshots}", InventoryEventType.Snapshot, Product, onHand, DateTimeOffset.UtcNow)]);

            var stored = (await cluster.Stored.ReadAsync(Product))!;
            var published = stored.PublishedVersion ?? stored.Version;
            Assert.All(stored.RecentAlerts, a => Assert.True(a.Version > published, $"alert of version {a.Version} kept though version {published} is published"));
            Assert.True(stored.RecentAlerts.Count <= stored.Version - published, $"{stored.RecentAlerts.Count} alerts kept for versions {published + 1}..{stored.Version}");
            keptAlerts = Math.Max(keptAlerts, stored.RecentAlerts.Count);
            samples++;
            var released = stored is { Reserved: 0, Reservations.Count: 0 };
            if (settled is null && released && !stored.ExpiryPublishPending && await reminders.ReadRow(ProductGrain.IdOf(Product), ProductGrain.ExpiryReminder) is null)
            {
                settled = DateTimeOffset.UtcNow;
                output.WriteLine($"settled {(settled.Value - expiresAt).TotalSeconds:0.00} s after expiresAt, at version {stored.Version} (published {published})");
            }
            else if (settled is not null)
            {
                Assert.False(stored.ExpiryPublishPending, "the release stays settled while events keep coming");
            }

            await Task.Delay(50);
        }

        await cluster.WaitForAllCommittedAsync(Patience);
        var last = 2 + snapshots + 1;
        await Eventually.TrueAsync(() => cluster.Client!.NetStock(Product).Any(r => r.Version == last), Patience, $"version {last} (the snapshots and the release) is published");
        var versions = cluster.Client!.NetStock(Product).Select(r => r.Version).ToList();
        Assert.True(versions.Zip(versions.Skip(1)).All(p => p.First < p.Second), $"net-stock versions in topic order, none twice: {string.Join(", ", versions)}");
        var alerts = cluster.Client!.Alerts().Where(a => a.ProductId == Product).Select(a => a.Version).ToList();
        Assert.Equal(alerts.Distinct().Count(), alerts.Count);
        output.WriteLine($"{snapshots} snapshots, {versions.Count} net-stock records, {alerts.Count} alerts; at most {keptAlerts} alerts kept in {samples} stored states sampled");
    }

    /// <summary>
    /// <c>inventory.net-stock</c> becomes unwritable (deleted; the DevBroker creates it again with one partition at the
    /// next metadata request, so the product's partition is missing) while a reservation's release waits to be
    /// published: every attempt of the batch carrying it fails. The pipeline pauses (it does not read on into memory) and <c>/readyz</c>
    /// answers 503, its <c>ingest</c> check naming the failure and the waiting expiry release; the failed attempts are
    /// counted (<c>inventory.expiry.publish_failures</c>) and the pause is logged once. Once the topic is back the
    /// release goes out, once, and the silo is ready again.
    /// </summary>
    [Fact]
    public async Task Expiry_NetStockTopicUnwritable_ReadyzNamesTheFailureAndFailuresAreCountedThenPublishedOnceItIsBack()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var silo = cluster.Silos[0];
        var probe = SiloReadiness.Probe(cluster);
        using var readings = new MeterReadings(Service<IMeterFactory>(silo), "InventoryOrleans.Ingest");
        await ReserveAsync(cluster, TimeSpan.FromSeconds(3));
        Assert.True((await probe.CheckAsync(CancellationToken.None)).Ready, "ready before the topic goes");

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.Broker!.BootstrapServers }).Build();
        await admin.DeleteTopicsAsync([Topics.NetStock]);

        ReadinessReport? failing = null;
        await Eventually.TrueAsync(
            async () => (failing = await probe.CheckAsync(CancellationToken.None)) is { Ready: false } report && !report.Checks["ingest"].Ok,
            Patience,
            "/readyz reports the ingest failing");
        output.WriteLine(failing!.Checks["ingest"].Detail);
        Assert.Contains("expiry", failing.Checks["ingest"].Detail, StringComparison.Ordinal);
        // An attempt lasts the message timeout (10 s) and, on a slow machine, commit and abort retries of up to 20 s each
        // (then its outcome is settled from the marks before it counts): two attempts may take more than one Patience.
        try
        {
            await Eventually.TrueAsync(() => readings.Sum("inventory.expiry.publish_failures") >= 2, 2 * Patience, "failed attempts at the release are counted");
        }
        catch (TimeoutException)
        {
            WriteIngestLog(silo);
            throw;
        }

        Assert.Single(Service<CapturedLogs>(silo).Entries, e => e.Message.StartsWith("Ingest paused", StringComparison.Ordinal));

        // The DevBroker creates a topic a metadata request names with one partition, so the topic is back at once, without
        // the product's partition: replaced by one like the silo creates, until no such request came in between.
        var netStock = new TopicSpecification { Name = Topics.NetStock, NumPartitions = cluster.Client!.Partitions(Topics.Events).Count, ReplicationFactor = -1, Configs = new() { ["cleanup.policy"] = "compact" } };
        await Eventually.TrueAsync(
            async () =>
            {
                await admin.DeleteTopicsAsync([Topics.NetStock]).ContinueWith(_ => { }, TaskScheduler.Default);
                return await admin.CreateTopicsAsync([netStock]).ContinueWith(created => created.IsCompletedSuccessfully, TaskScheduler.Default);
            },
            Patience,
            "inventory.net-stock is created again with every partition");

        var released = await ReleasedAsync(cluster);
        Assert.Single(cluster.Client!.NetStock(Product), r => r.Version == released.Version);
        await Eventually.TrueAsync(async () => (await probe.CheckAsync(CancellationToken.None)).Ready, Patience, "the silo is ready again");
        Assert.Null(InventoryTestCluster.Health(silo).PausedBecause);
    }

    /// <summary>
    /// The transaction carrying a reservation's release fails in a way that leaves its outcome unknown: its producer is
    /// fenced by another of the same transactional id after the release is applied. The publication marks settle it as
    /// not committed, and that failed attempt is counted (<c>inventory.expiry.publish_failures</c>) like a refused
    /// commit's; the next attempt publishes the release, once.
    /// </summary>
    [Fact]
    public async Task Expiry_ProducerFencedDuringTheReleasesTransaction_SettledAsNotCommittedCountedOnceAndPublishedOnce()
    {
        const string transactionalId = "expiry-fenced";
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?> { ["Kafka:TransactionalId"] = transactionalId });
        var silo = cluster.Silos[0];
        using var readings = new MeterReadings(Service<IMeterFactory>(silo), "InventoryOrleans.Ingest");
        using var fencer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = cluster.Broker!.BootstrapServers,
            TransactionalId = transactionalId,
        }).SetLogHandler((_, _) => { }).Build();

        // The silo's transactional producer exists once the reservation is published, so the fencer fences it (not the
        // other way round). After the reservation nothing else is produced: the next attempt is the release's.
        await ReserveAsync(cluster, TimeSpan.FromSeconds(2));
        var fenced = 0;
        Service<BatchFaults>(silo).Applied += () =>
        {
            if (Interlocked.Exchange(ref fenced, 1) == 0)
            {
                fencer.InitTransactions(Patience);
            }
        };

        var released = await ReleasedAsync(cluster);
        Assert.Equal(1, Volatile.Read(ref fenced));
        await cluster.WaitForAllCommittedAsync(Patience);
        Assert.Single(cluster.Client!.NetStock(Product), r => r.Version == released.Version);
        Assert.Contains(Service<CapturedLogs>(silo).Entries, e => e.Message == "The transaction of unknown outcome had committed: False");
        Assert.Equal(1, readings.Sum("inventory.expiry.publish_failures"));
    }

    // What the silo's ingest logged, for a failure's diagnosis.
    private void WriteIngestLog(Orleans.TestingHost.InProcessSiloHandle silo)
    {
        foreach (var entry in Service<CapturedLogs>(silo).Entries.Where(e => e.Category.StartsWith("InventoryOrleans.Ingest", StringComparison.Ordinal)))
        {
            output.WriteLine($"{entry.Level}: {entry.Message}");
        }
    }

    // When the live silo owns every partition (from then on it may publish for the product); logged against expiresAt.
    private async Task<DateTimeOffset> OwningAsync(InventoryTestCluster cluster)
    {
        await cluster.WaitForStableAssignmentAsync(Patience);
        var owning = DateTimeOffset.UtcNow;
        output.WriteLine($"the new silo owns the partitions at {owning:HH:mm:ss.fff}");
        return owning;
    }

    // Kills the silo at its pipeline's fault point (its attempt's products persisted, nothing committed) when the
    // pipeline next takes an attempt: after the reservation nothing else is produced, so that is the expiry's. Returns
    // once the stored state shows the release pending in an attempt and the silo is dead.
    private static async Task KillAtTheNextAttemptAsync(InventoryTestCluster cluster, Orleans.TestingHost.InProcessSiloHandle doomed)
    {
        var pipeline = Service<IngestPipeline>(doomed);
        var faulted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Service<BatchFaults>(doomed).Applied += () =>
        {
            pipeline.Kill();
            faulted.TrySetResult();
        };

        await faulted.Task.WaitAsync(Patience);
        var stored = await cluster.Stored.ReadAsync(Product);
        Assert.True(stored is { Reserved: 0, ExpiryPublishPending: true, PendingPublication: not null }, "the release is stored, pending in the killed silo's attempt");
        await cluster.KillSiloAsync(doomed);
    }

    // A receipt of 10 (which warms the pipeline up), then a reservation of 4 expiring `after` from then; returns its
    // expiresAt once the reservation's net stock (version 2) is published.
    private static async Task<DateTimeOffset> ReserveAsync(InventoryTestCluster cluster, TimeSpan after)
    {
        var client = cluster.Client!;
        client.ProduceAll([new InventoryEvent("x-1", InventoryEventType.Receipt, Product, 10, DateTimeOffset.UtcNow)]);
        await cluster.WaitForAllCommittedAsync(Patience);
        var expiresAt = DateTimeOffset.UtcNow + after;
        client.ProduceAll([new InventoryEvent("x-2", InventoryEventType.Reservation, Product, 4, DateTimeOffset.UtcNow, ReservationId: "r-1", ExpiresAt: expiresAt)]);
        await cluster.WaitForAllCommittedAsync(Patience);
        var reserved = client.NetStock(Product).MaxBy(r => r.Version)!;
        Assert.Equal((2L, 4L), (reserved.Version, reserved.Reserved));
        Assert.True(DateTimeOffset.UtcNow < expiresAt, "precondition: the reservation was applied before it expired");
        return expiresAt;
    }

    // Waits for the release's net-stock record (version 3) and checks it: reserved 0, lastEventId still the reservation's.
    private static async Task<NetStockRecord> ReleasedAsync(InventoryTestCluster cluster)
    {
        await Eventually.TrueAsync(() => cluster.Client!.NetStock(Product).Any(r => r.Version == 3), Patience, "the release's net stock is published");
        var released = cluster.Client!.NetStock(Product).First(r => r.Version == 3);
        Assert.Equal((10L, 0L, 10L, "x-2"), (released.OnHand, released.Reserved, released.Available, released.LastEventId));
        return released;
    }

    // The product's alerts once the one at `version` is on the topic, one per crossing (a repeat must be identical).
    private static async Task<List<AlertRecord>> AlertsUpToAsync(InventoryTestCluster cluster, long version)
    {
        await Eventually.TrueAsync(() => cluster.Client!.Alerts().Any(a => a.ProductId == Product && a.Version == version), Patience, $"the alert of version {version} is published");
        var alerts = cluster.Client!.Alerts().Where(a => a.ProductId == Product).ToList();
        Assert.All(alerts.GroupBy(a => a.Version), same => Assert.Single(same.Select(a => a.Json).Distinct()));
        return [.. alerts.DistinctBy(a => a.Version).OrderBy(a => a.Version)];
    }

    private void AssertReleasedWithin(NetStockRecord released, DateTimeOffset expiresAt, DateTimeOffset deadline)
    {
        output.WriteLine($"released {(released.UpdatedAt - expiresAt).TotalSeconds:0.00} s and published {(released.PublishedAt - expiresAt).TotalSeconds:0.00} s after expiresAt");
        Assert.True(released.UpdatedAt >= expiresAt, $"released at {released.UpdatedAt:O}, before expiresAt {expiresAt:O}");
        Assert.True(released.PublishedAt <= deadline, $"published {(released.PublishedAt - expiresAt).TotalSeconds:0.00} s after expiresAt, later than the bound {(deadline - expiresAt).TotalSeconds:0.00} s");
    }
}
