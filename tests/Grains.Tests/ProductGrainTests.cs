using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Runtime;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>The grain through the real runtime and real storage: persistence, fencing, reminders.</summary>
public sealed class ProductGrainTests : IDisposable
{
    private readonly TempDatabasePath _database = new();
    private readonly ManualTimeProvider _time = new(T0);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ApplyAsync_Event_ReturnsOutcomeAndStock()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);

        var result = await silo.Product(ProductId).ApplyAsync(Receipt("e1", 5) with { CorrelationId = "c1" });

        Assert.Equal(new EventOutcome("e1", ProductId, OutcomeStatus.Applied, null, 1, "c1"), result.Outcome);
        Assert.Equal(5, result.Stock.OnHand);
        Assert.Equal(T0, result.Stock.UpdatedAt);
    }

    [Fact]
    public async Task ApplyAsync_AfterDeactivation_StateAndDeduplicationReloadedFromSqlite()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        var grain = silo.Product(ProductId);
        await grain.ApplyAsync(Receipt("e1", 10), new EventPosition(Topics.Events, 3, 7));
        await grain.ApplyAsync(Reserve("e2", "r1", 4));

        await silo.DeactivateAllAsync();
        Assert.False(silo.IsActive(ProductId));
        var stock = await grain.GetStockAsync();
        var byEventId = await grain.ApplyAsync(Receipt("e1", 10));
        var byOffset = await grain.ApplyAsync(Receipt("e3", 10), new EventPosition(Topics.Events, 3, 7));

        Assert.Equal((10, 4, 2L), (stock.OnHand, stock.Reserved, stock.Version));
        Assert.Equal(OutcomeStatus.Duplicate, byEventId.Outcome.Status);
        Assert.Equal(OutcomeStatus.Duplicate, byOffset.Outcome.Status);
    }

    [Fact]
    public async Task ApplyAsync_NewRuntimeOnSameFile_SeesStoredState()
    {
        await using (var first = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time))
        {
            await first.Product(ProductId).ApplyAsync(Receipt("e1", 10, location: "dc"));
        }

        await using var second = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        var stock = await second.Product(ProductId).GetStockAsync();

        Assert.Equal(10, stock.Locations["dc"]);
        Assert.Equal("e1", stock.LastEventId);
    }

    [Fact]
    public async Task ApplyAsync_StaleEtagBecauseAnotherRuntimeWrote_ThrowsAndNextCallSeesStoredState()
    {
        await using var zombie = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        await using var owner = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        await zombie.Product(ProductId).ApplyAsync(Receipt("e1", 5));
        await owner.Product(ProductId).ApplyAsync(Receipt("e2", 3));

        await Assert.ThrowsAsync<InconsistentStateException>(() => zombie.Product(ProductId).ApplyAsync(Receipt("e3", 100)));
        var reloaded = await zombie.Product(ProductId).GetStockAsync();
        var retried = await zombie.Product(ProductId).ApplyAsync(Receipt("e3", 100));

        Assert.Equal((8, 2L, "e2"), (reloaded.OnHand, reloaded.Version, reloaded.LastEventId));
        Assert.Equal(OutcomeStatus.Applied, retried.Outcome.Status);
        Assert.Equal(108, retried.Stock.OnHand);
    }

    [Fact]
    public async Task ApplyBatchAsync_StorageOutage_ThrowsAndRetryGivesSameOutcomes()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        var grain = silo.Product(ProductId);
        await grain.ApplyAsync(Receipt("e1", 5));
        PositionedEvent[] batch =
        [
            new(Sale("e2", 2), new EventPosition(Topics.Sales, 0, 10)),
            new(Reserve("e3", "r1", 3), new EventPosition(Topics.Events, 0, 20)),
            new(Reserve("e4", "r2", 1), new EventPosition(Topics.Events, 0, 21)),
        ];

        silo.Storage.FailWrites = true;
        await Assert.ThrowsAsync<IOException>(() => grain.ApplyBatchAsync(batch));
        silo.Storage.FailWrites = false;
        var afterOutage = await grain.GetStockAsync();
        var retry = await grain.ApplyBatchAsync(batch);

        Assert.Equal((5, 0, 1L), (afterOutage.OnHand, afterOutage.Reserved, afterOutage.Version));
        Assert.Equal(
            [OutcomeStatus.Applied, OutcomeStatus.Applied, OutcomeStatus.Rejected],
            retry.Outcomes.Select(o => o.Status));
        Assert.Equal(RejectionReasons.InsufficientStock, retry.Outcomes[2].Reason);
        Assert.Equal(3, retry.Stock.Reserved);
    }

    [Fact]
    public async Task ApplyBatchAsync_Batch_WritesOnceAndReportsChange()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        var grain = silo.Product(ProductId);
        var events = Enumerable.Range(0, 50)
            .Select(i => new PositionedEvent(Receipt($"e{i}", 1), new EventPosition(Topics.Events, 0, i)))
            .ToList();

        var first = await grain.ApplyBatchAsync(events);
        var writesAfterFirst = silo.Storage.Writes;
        var replay = await grain.ApplyBatchAsync(events);

        Assert.True(first.Changed);
        Assert.Equal(50, first.Stock.Version);
        Assert.Equal(1, writesAfterFirst);
        Assert.False(replay.Changed);
        Assert.All(replay.Outcomes, o => Assert.Equal(OutcomeStatus.Duplicate, o.Status));
        Assert.Equal(1, silo.Storage.Writes);
    }

    [Fact]
    public async Task ApplyBatchAsync_OnlyRejections_WritesButReportsNoChange()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);

        var result = await silo.Product(ProductId).ApplyBatchAsync([new(Release("e1", "unknown"), new EventPosition(Topics.Events, 0, 1))]);

        Assert.False(result.Changed);
        Assert.Equal(1, silo.Storage.Writes); // the window and the offset must survive a restart
    }

    [Fact]
    public async Task ApplyBatchAsync_OneEventForOtherProduct_ThrowsAndAppliesNone()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        var grain = silo.Product(ProductId);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => grain.ApplyBatchAsync(
        [
            new(Receipt("e1", 5), null),
            new(Receipt("e2", 5) with { ProductId = "sku-2" }, null),
        ]));
        var stock = await grain.GetStockAsync();

        Assert.Contains("sku-2", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, stock.Version);
        Assert.Equal(0, silo.Storage.Writes);
    }

    [Fact]
    public async Task ApplyAsync_EventIdOver128Characters_ThrowsArgumentException()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);

        await Assert.ThrowsAsync<ArgumentException>(() => silo.Product(ProductId).ApplyAsync(Receipt(new string('e', 129), 1)));

        Assert.Equal(0, silo.Storage.Writes);
    }

    [Fact]
    public async Task ApplyAsync_InvalidEvent_RejectedWithoutWrite()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);

        var result = await silo.Product(ProductId).ApplyAsync(Event("e1", InventoryEventType.Sale, -3));

        Assert.Equal(RejectionReasons.InvalidEvent, result.Outcome.Reason);
        Assert.Equal(0, silo.Storage.Writes);
    }

    [Fact]
    public async Task ReleaseExpiredReservationsAsync_DueWhileDeactivated_ReminderFindsGrainAndReleases()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        var grain = silo.Product(ProductId);
        await grain.ApplyAsync(Receipt("e1", 10));
        await grain.ApplyAsync(Reserve("e2", "r1", 4, expiresAt: T0.AddMinutes(10)));
        await silo.DeactivateAllAsync();

        var dueEarly = await silo.Reminders.GetDueAsync(ProductGrain.GrainTypeName, T0.AddMinutes(9), 10);
        _time.Advance(TimeSpan.FromMinutes(10));
        var due = await silo.Reminders.GetDueAsync(ProductGrain.GrainTypeName, _time.GetUtcNow(), 10);
        var results = new List<ExpiryResult>();
        foreach (var key in due)
        {
            results.Add(await silo.Product(key).ReleaseExpiredReservationsAsync());
        }

        Assert.Empty(dueEarly);
        Assert.Equal([ProductId], due);
        Assert.Equal(["r1"], results.Single().ReleasedReservationIds);
        Assert.Equal((0, 3L), (results.Single().Stock.Reserved, results.Single().Stock.Version));
        Assert.Empty(await silo.Reminders.GetDueAsync(ProductGrain.GrainTypeName, T0.AddYears(1), 10));
        await silo.DeactivateAllAsync();
        Assert.Equal(0, (await grain.GetStockAsync()).Reserved);
    }

    [Fact]
    public async Task ReleaseExpiredReservationsAsync_ReservationEndedMeanwhile_RemovesReminder()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        var grain = silo.Product(ProductId);
        await grain.ApplyAsync(Receipt("e1", 10));
        await grain.ApplyAsync(Reserve("e2", "r1", 4, expiresAt: T0.AddMinutes(10)));
        await grain.ApplyAsync(Reserve("e3", "r2", 1, expiresAt: T0.AddMinutes(30)));
        await grain.ApplyAsync(Release("e4", "r1"));
        var dueAfterRelease = await silo.Reminders.GetDueAsync(ProductGrain.GrainTypeName, T0.AddMinutes(29), 10);
        await grain.ApplyAsync(Release("e5", "r2"));

        _time.Advance(TimeSpan.FromHours(1));
        var result = await grain.ReleaseExpiredReservationsAsync();

        Assert.Empty(dueAfterRelease);
        Assert.Empty(result.ReleasedReservationIds);
        Assert.Empty(await silo.Reminders.GetDueAsync(ProductGrain.GrainTypeName, T0.AddYears(1), 10));
    }

    [Fact]
    public async Task ApplyAsync_WriteFailsForNewExpiry_ReminderSetBeforeAndClearedOnWake()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        var grain = silo.Product(ProductId);
        await grain.ApplyAsync(Receipt("e1", 10));

        silo.Storage.FailWrites = true;
        await Assert.ThrowsAsync<IOException>(() => grain.ApplyAsync(Reserve("e2", "r1", 4, expiresAt: T0.AddMinutes(10))));
        silo.Storage.FailWrites = false;
        var dueAfterFailure = await silo.Reminders.GetDueAsync(ProductGrain.GrainTypeName, T0.AddMinutes(10), 10);
        _time.Advance(TimeSpan.FromMinutes(10));
        var wake = await grain.ReleaseExpiredReservationsAsync();

        // An early wake-up is harmless; a missing reminder would let a persisted reservation outlive its expiry.
        Assert.Equal([ProductId], dueAfterFailure);
        Assert.Empty(wake.ReleasedReservationIds);
        Assert.Equal(1, wake.Stock.Version);
        Assert.Empty(await silo.Reminders.GetDueAsync(ProductGrain.GrainTypeName, T0.AddYears(1), 10));
    }

    [Fact]
    public async Task ApplyAsync_AfterRestartWithExpiredReservation_ReleasesBeforeEvent()
    {
        await using (var first = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time))
        {
            await first.Product(ProductId).ApplyAsync(Receipt("e1", 10));
            await first.Product(ProductId).ApplyAsync(Reserve("e2", "r1", 10, expiresAt: T0.AddMinutes(5)));
        }

        _time.Advance(TimeSpan.FromMinutes(6));
        await using var second = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        var result = await second.Product(ProductId).ApplyAsync(Reserve("e3", "r2", 10));

        Assert.Equal(OutcomeStatus.Applied, result.Outcome.Status);
        Assert.Equal(4, result.Outcome.Version);
    }

    [Fact]
    public async Task ApplyAsync_AfterDeactivationOnRedis_StateReloaded()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var silo = await ProductGrainSilo.StartRedisAsync(redis.ConnectionString, _time);
        var grain = silo.Product(ProductId);
        await grain.ApplyAsync(Snapshot("s1", 40, T0, "dc"));
        await grain.ApplyAsync(Sale("e1", 5, T0.AddMinutes(1), "dc"));

        await silo.DeactivateAllAsync();
        var late = await grain.ApplyAsync(Snapshot("s2", 30, T0.AddSeconds(30), "dc"));
        var stale = await grain.ApplyAsync(Snapshot("s3", 1, T0.AddSeconds(10), "dc"));

        Assert.Equal(25, late.Stock.OnHand);
        Assert.Equal(RejectionReasons.StaleSnapshot, stale.Outcome.Reason);
    }
}
