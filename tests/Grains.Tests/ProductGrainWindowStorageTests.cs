using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Runtime;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>The de-duplication window stored in segments, through the real runtime on both providers.</summary>
public sealed class ProductGrainWindowStorageTests : IDisposable
{
    private const int WindowSize = 10_000;

    private readonly TempDatabasePath _database = new();
    private readonly ManualTimeProvider _time = new(T0);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ApplyBatchAsync_FullWindowOnSqlite_WritesStaySmallAndWindowSurvivesReactivation()
    {
        await using var silo = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        await FullWindowSurvivesReactivationAsync(silo);
    }

    [Fact]
    public async Task ApplyBatchAsync_FullWindowOnRedis_WritesStaySmallAndWindowSurvivesReactivation()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var silo = await ProductGrainSilo.StartRedisAsync(redis.ConnectionString, _time);
        await FullWindowSurvivesReactivationAsync(silo);
    }

    [Fact]
    public async Task ApplyBatchAsync_ZombieSealsSegmentsWithStaleEtag_StoredWindowKeepsOnlyTheOwnersEvents()
    {
        await using var zombie = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        await using var owner = await ProductGrainSilo.StartSqliteAsync(_database.Path, _time);
        await zombie.Product(ProductId).ApplyAsync(Receipt("first", 1));
        await owner.Product(ProductId).ApplyBatchAsync(Batch("owner", 1, 300));

        await Assert.ThrowsAsync<InconsistentStateException>(() => zombie.Product(ProductId).ApplyBatchAsync(Batch("zombie", 1, 300)));
        await owner.DeactivateAllAsync();
        var grain = owner.Product(ProductId);

        var ownerEvents = await grain.ApplyBatchAsync(Batch("owner", 1, 300));
        var zombieEvents = await grain.ApplyBatchAsync(Batch("zombie", 1, 300));

        Assert.All(ownerEvents.Outcomes, o => Assert.Equal(OutcomeStatus.Duplicate, o.Status));
        Assert.All(zombieEvents.Outcomes, o => Assert.Equal(OutcomeStatus.Applied, o.Status));
        Assert.Equal(601, zombieEvents.Stock.OnHand);
    }

    private static async Task FullWindowSurvivesReactivationAsync(ProductGrainSilo silo)
    {
        var grain = silo.Product(ProductId);
        var largestWrite = 0;
        for (var from = 1; from <= WindowSize + 300; from += 100)
        {
            await grain.ApplyBatchAsync(Batch("e", from, 100));
            largestWrite = Math.Max(largestWrite, silo.Storage.LastWriteBytes);
        }

        await silo.DeactivateAllAsync();
        var evicted = await grain.ApplyBatchAsync(Batch("e", 300, 1));
        var oldestKept = await grain.ApplyBatchAsync(Batch("e", 302, 1));
        var newest = await grain.ApplyBatchAsync(Batch("e", WindowSize + 300, 1));
        var stored = await silo.Storage.ReadAsync(ProductGrain.GrainTypeName, ProductId, "product");

        // A batch of 100 seals at most one segment beside the head; the whole window is ~530 KB.
        Assert.True(largestWrite < 32 * 1024, $"a write carried {largestWrite} bytes");
        Assert.Equal(OutcomeStatus.Applied, evicted.Outcomes[0].Status);
        Assert.Equal(OutcomeStatus.Duplicate, oldestKept.Outcomes[0].Status);
        Assert.Equal(OutcomeStatus.Duplicate, newest.Outcomes[0].Status);
        Assert.InRange(stored.Segments.Count, WindowSize / 128, (WindowSize / 128) + 2);
    }

    private static PositionedEvent[] Batch(string prefix, int from, int count) =>
        Enumerable.Range(from, count).Select(i => new PositionedEvent(Receipt($"{prefix}-{i}", 1), null)).ToArray();
}
