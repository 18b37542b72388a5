using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Ingest.Tests.Expiry;

/// <summary>
/// Reservation expiry with the pipeline: the product grain's Orleans reminder releases an expired reservation while
/// the product is idle, and the <see cref="Ingest.Expiry.ExpiryPublisher"/> puts the new net stock on
/// <c>inventory.net-stock</c> — within 5 s of <c>expiresAt</c> (CONTRACTS.md), across a silo restart, and again when
/// the silo died before the first publish. Times are the silo's: a net-stock record's timestamp is when the silo
/// produced it and its <c>updatedAt</c> when the grain released the reservation, so a loaded test machine that reads
/// the topic late does not blur the bound.
/// </summary>
public sealed class ExpiryPublisherTests(ITestOutputHelper output)
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
    /// anything, so the bound is 5 s after <c>expiresAt</c> or after the new silo is up (its <c>StartSiloAsync</c>
    /// returned), whichever is later: the reminder is durable in Redis, and the new silo's reminder service fires an
    /// overdue one within the reminder's period (2 s).
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

        var released = await ReleasedAsync(cluster);

        AssertReleasedWithin(released, expiresAt, (up > expiresAt ? up : expiresAt) + Promise);
    }

    /// <summary>
    /// The silo dies after the grain released the reservation and persisted the release, before its net stock was
    /// published: the test holds the silo's <see cref="NetStockWriterGate"/> (as a batch in flight would), so the
    /// publisher waits at the gate with the product queued, then kills the silo. The stored state says the release is
    /// unpublished and the grain's reminder keeps firing; on the next silo it fires again and the publisher publishes.
    /// </summary>
    [Fact]
    public async Task Expiry_SiloDiesAfterReleaseBeforePublish_NextSiloPublishesTheRelease()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var expiresAt = await ReserveAsync(cluster, TimeSpan.FromSeconds(3));
        var doomed = cluster.Silos[0];
        Service<NetStockWriterGate>(doomed).Enter(CancellationToken.None);

        await Eventually.TrueAsync(
            async () => await cluster.Stored.ReadAsync(Product) is { Reserved: 0, ExpiryPublishPending: true },
            Patience,
            "the grain released the reservation and stored that its net stock is unpublished");
        await cluster.KillSiloAsync(doomed);
        Assert.DoesNotContain(cluster.Client!.NetStock(Product), r => r.Version == 3);

        await cluster.StartSiloAsync();
        var up = DateTimeOffset.UtcNow;
        var released = await ReleasedAsync(cluster);

        output.WriteLine($"new silo up {(up - expiresAt).TotalSeconds:0.00} s after expiresAt");
        AssertReleasedWithin(released, expiresAt, up + Promise);
        Assert.True(released.UpdatedAt < up, "released (and persisted) by the killed silo; the new one only published it");

        // Published and acknowledged: the grain stops asking (its reminder is gone) and its state says so.
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
    /// The Recovered alert of a release persisted by a silo that died before publishing it (the test holds the net-stock
    /// gate, as in <see cref="Expiry_SiloDiesAfterReleaseBeforePublish_NextSiloPublishesTheRelease"/>): the next silo's
    /// reminder publishes it with the release's net stock, as the dead silo raised it.
    /// </summary>
    [Fact]
    public async Task Expiry_SiloDiesAfterARecoveringReleaseBeforePublish_NextSiloPublishesTheRecoveredAlert()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, LowStockThresholdSeven);
        await ReserveAsync(cluster, TimeSpan.FromSeconds(3));
        var doomed = cluster.Silos[0];
        Service<NetStockWriterGate>(doomed).Enter(CancellationToken.None);
        await Eventually.TrueAsync(
            async () => await cluster.Stored.ReadAsync(Product) is { Reserved: 0, ExpiryPublishPending: true },
            Patience,
            "the grain released the reservation and stored that its net stock is unpublished");
        await cluster.KillSiloAsync(doomed);
        Assert.DoesNotContain(cluster.Client!.Alerts(), a => a.Version == 3);

        await cluster.StartSiloAsync();
        var released = await ReleasedAsync(cluster);

        var alerts = await AlertsUpToAsync(cluster, version: 3);
        Assert.Equal([("Low", 2L), ("Recovered", 3L)], alerts.Select(a => (a.State, a.Version)));
        Assert.Equal((10L, 7L, released.UpdatedAt), (alerts[1].Available, alerts[1].Threshold, alerts[1].At));
    }

    [Fact]
    public async Task Expiry_WhileABatchHoldsTheNetStockGate_PublishesOnlyAfterTheBatch()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var expiresAt = await ReserveAsync(cluster, TimeSpan.FromSeconds(3));

        // A batch in flight holds the gate from its grain changes until its records are delivered; an expiry published
        // meanwhile could land an older version after the batch's newer one on the compacted topic.
        var gate = Service<NetStockWriterGate>(cluster.Silos[0]);
        gate.Enter(CancellationToken.None);
        try
        {
            Assert.True(DateTimeOffset.UtcNow < expiresAt, "precondition: the gate is held before the reservation expires");
            await Eventually.TrueAsync(
                async () => await cluster.Stored.ReadAsync(Product) is { Reserved: 0, ExpiryPublishPending: true },
                Patience,
                "the grain released the reservation");

            // Two more reminder ticks (every 2 s) hand the product to the publisher again; it still waits at the gate.
            await Eventually.TrueAsync(() => DateTimeOffset.UtcNow > expiresAt + TimeSpan.FromSeconds(4.5), Patience, "two reminder periods passed");
            Assert.DoesNotContain(cluster.Client!.NetStock(Product), r => r.Version == 3);
        }
        finally
        {
            gate.Exit();
        }

        await ReleasedAsync(cluster);
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
