using InventoryOrleans.Runtime.Storage.Redis;

namespace InventoryOrleans.Runtime.Tests.Storage.Redis;

/// <summary>The storage contract against a real redis-server started on a free port.</summary>
public sealed class RedisGrainStorageTests : GrainStorageContractTests, IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly RedisServerFixture _redis;
    private readonly RedisGrainConnection _connection;

    public RedisGrainStorageTests(RedisServerFixture redis)
    {
        _redis = redis;
        _connection = new RedisGrainConnection(redis.Server.ConnectionString);
        Storage = new RedisGrainStorage(_connection);
        Reminders = new RedisReminderTable(_connection);
    }

    protected override IGrainStorage Storage { get; }

    protected override IReminderTable Reminders { get; }

    [Fact]
    public async Task ReadAsync_ServerDown_ThrowsInsteadOfReturningNothing()
    {
        await Storage.WriteAsync("OutageGrain", "k", "state", "1"u8.ToArray(), null);
        await _redis.Server.StopAsync();
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Storage.ReadAsync("OutageGrain", "k", "state"));
            await Assert.ThrowsAnyAsync<Exception>(() => Storage.WriteAsync("OutageGrain", "k", "state", "2"u8.ToArray(), "1"));
        }
        finally
        {
            await _redis.Server.StartAsync();
        }
    }

    public void Dispose() => _connection.Dispose();
}
