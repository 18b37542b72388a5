using System.Diagnostics;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Tests.Support;
using InventoryOrleans.TestSupport;
using Orleans.Storage;
using Xunit.Abstractions;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>The product grain while the Redis server its state lives on is down (its own silo: the outage hits everything on that Redis).</summary>
public sealed class ProductGrainRedisOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ApplyBatchAsync_RedisDown_ThrowsAndTheSameBatchRetriedAfterRestartIsAppliedOnce()
    {
        await using var cluster = await SiloCluster.StartAsync(silos: 1);
        const string Id = "outage";
        var grain = cluster.Product(Id);
        await grain.ApplyAsync(new InventoryEvent("o1", InventoryEventType.Receipt, Id, 5, T0), new EventPosition(Topics.Events, 0, 1));
        PositionedEvent[] batch =
        [
            new(new InventoryEvent("o2", InventoryEventType.Sale, Id, 2, T0), new EventPosition(Topics.Sales, 0, 10)),
            new(new InventoryEvent("o3", InventoryEventType.Reservation, Id, 3, T0, ReservationId: "r1"), new EventPosition(Topics.Events, 0, 2)),
            new(new InventoryEvent("o4", InventoryEventType.Reservation, Id, 1, T0, ReservationId: "r2"), new EventPosition(Topics.Events, 0, 3)),
            new(new InventoryEvent("o1", InventoryEventType.Receipt, Id, 5, T0), new EventPosition(Topics.Sales, 0, 11)),
        ];

        await cluster.Inventory.Redis.StopAsync();
        var clock = Stopwatch.StartNew();
        var attempt = new PublicationTicket(0, 60, 0, 1);
        var error = await Record.ExceptionAsync(() => grain.ApplyBatchAsync(batch, attempt));
        output.WriteLine($"failed after {clock.Elapsed.TotalSeconds:0.00} s: {error?.GetType().Name}: {error?.Message}");
        await cluster.Inventory.Redis.StartAsync();
        clock.Restart();
        var retried = await RetryUntilRedisIsBackAsync(() => grain.ApplyBatchAsync(batch, attempt));
        output.WriteLine($"retry succeeded {clock.Elapsed.TotalSeconds:0.00} s after Redis restarted");

        // The attempt did not commit (say Kafka refused it): the batch again, in a new epoch.
        var replayed = await grain.ApplyBatchAsync(batch, new PublicationTicket(0, 61, 0, 1));

        Assert.NotNull(error);
        Assert.IsNotType<InconsistentStateException>(error);
        Assert.Equal(
            [(OutcomeStatus.Applied, null, 2L), (OutcomeStatus.Applied, null, 3L), (OutcomeStatus.Rejected, RejectionReasons.InsufficientStock, 3L), (OutcomeStatus.Duplicate, null, 3L)],
            retried.Outcomes.Select(o => (o.Status, o.Reason, o.Version)));
        Assert.Equal((3L, 3L, 3L), (retried.Stock.OnHand, retried.Stock.Reserved, retried.Stock.Version));
        Assert.True(retried.Changed);
        Assert.Equal(retried.Outcomes, replayed.Outcomes);
        Assert.True(replayed.Changed);
        Assert.Equal(retried.Stock, replayed.Stock with { Locations = retried.Stock.Locations });
        var stored = (await cluster.StoredAsync(Id))!.ToStockView(Id);
        Assert.Equal((3L, 3L, 3L, "o3"), (stored.OnHand, stored.Reserved, stored.Version, stored.LastEventId));
    }

    // Until the silo's connections are back, calls fail (the grain's activation cannot even read its state).
    private static async Task<T> RetryUntilRedisIsBackAsync<T>(Func<Task<T>> call)
    {
        T? result = default;
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    result = await call();
                    return true;
                }
                catch (Exception e) when (e is not InconsistentStateException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            "a call succeeds after Redis restarted");
        return result!;
    }
}
