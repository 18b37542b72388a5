using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using Xunit.Abstractions;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>The product's state and its expiry when the silo that held its grain goes away (each test has its own silos).</summary>
public sealed class ProductGrainSiloLossTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExpiryBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task ReceiveReminder_SiloHoldingTheGrainsKilledBeforeExpiry_SurvivorReleasesWithinFiveSecondsOfExpiry()
    {
        await using var cluster = await SiloCluster.StartAsync(silos: 2);
        var (victim, survivor) = (cluster.Silos[0], cluster.Silos[1]);

        // Every grain lives on the silo to be killed. A reminder belongs to the reminder service of the silo owning
        // its grain id's ring range, so of 24 products some have theirs on the victim (the survivor must take the
        // range over and read them from the table) and some on the survivor (which must reach a grain whose silo is
        // gone); with the range split about evenly, all 24 on one side is a one-in-eight-million chance.
        var products = Enumerable.Range(0, 24).Select(i => $"expiring-{i}").ToList();
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(5);
        await Task.WhenAll(products.Select(productId => SiloCluster.ProductFrom(victim, productId).ApplyBatchAsync(
        [
            new(new InventoryEvent("k1", InventoryEventType.Receipt, productId, 10, T0), null),
            new(new InventoryEvent("k2", InventoryEventType.Reservation, productId, 4, T0, ReservationId: "r1", ExpiresAt: expiresAt), null),
        ])));
        Assert.All(products, productId => Assert.Same(victim, cluster.HostOf(productId)));

        await cluster.Inventory.KillSiloAsync(victim);
        var killedAt = DateTimeOffset.UtcNow;
        Assert.True(killedAt < expiresAt, $"the silo was killed at {killedAt:O}, after the expiry {expiresAt:O}");
        output.WriteLine($"killed {(expiresAt - killedAt).TotalSeconds:0.00} s before the expiry");

        foreach (var productId in products)
        {
            ProductState? stored = null;
            await Eventually.TrueAsync(
                async () => (stored = await cluster.StoredAsync(productId))?.Reserved == 0,
                expiresAt + ExpiryBound - DateTimeOffset.UtcNow,
                $"{productId}'s reservation is released after its silo died (expired at {expiresAt:O})");
            Assert.Equal((3L, "k2", 10L), (stored!.Version, stored.LastEventId, stored.OnHand.Values.Sum()));
            output.WriteLine($"{productId}: released {(stored.UpdatedAt - expiresAt).TotalSeconds:0.00} s after its expiry");
            Assert.InRange(stored.UpdatedAt, expiresAt, expiresAt + ExpiryBound);
            Assert.True(InventoryTestCluster.Activations(survivor).IsActive(productId), $"{productId} is not active on the survivor");
        }
    }

    [Fact]
    public async Task ApplyBatchAsync_SiloStoppedAndReplacedByANewOne_StateAndRedeliveriesSurvive()
    {
        await using var cluster = await SiloCluster.StartAsync(silos: 1);
        const string Id = "moving";
        PositionedEvent[] batch =
        [
            new(new InventoryEvent("m1", InventoryEventType.Receipt, Id, 10, T0, "dc"), new EventPosition(Topics.Events, 4, 1)),
            new(new InventoryEvent("m2", InventoryEventType.Fulfillment, Id, 1, T0, ReservationId: "none"), new EventPosition(Topics.Events, 4, 2)),
            new(new InventoryEvent("m3", InventoryEventType.TransferOut, Id, 4, T0, "dc"), new EventPosition(Topics.Events, 4, 3)),
        ];
        var first = await cluster.Product(Id).ApplyBatchAsync(batch, new PublicationTicket(4, 50, 0, 1));

        var replacement = await cluster.Inventory.StartSiloAsync();
        await cluster.Inventory.StopSiloAsync(cluster.Silos[0]);

        // Called from inside the new silo: the test's gateway client may still try the stopped silo's gateway once.
        var grain = SiloCluster.ProductFrom(replacement, Id);
        var stock = await grain.GetStockAsync();
        // The silo went before its transaction committed: the new owner replays the batch in an epoch of its own.
        var replayed = await grain.ApplyBatchAsync(batch, new PublicationTicket(4, 51, 0, 1));

        Assert.Same(replacement, Assert.Single(cluster.Silos));
        Assert.Same(replacement, cluster.HostOf(Id));
        Assert.Equal(first.Stock.Version, stock.Version);
        Assert.Equal((6L, 4L, "m3"), (stock.Locations["dc"], stock.InTransit, stock.LastEventId));
        Assert.Equal(first.Outcomes, replayed.Outcomes);
        Assert.Equal(RejectionReasons.UnknownReservation, replayed.Outcomes[1].Reason);
        Assert.True(replayed.Changed);
        Assert.Equal(first.Stock.Version, replayed.Stock.Version);
    }
}
