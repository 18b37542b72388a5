using InventoryOrleans.Runtime.Tests.TestGrains;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Runtime.Tests.Storage.Redis;

/// <summary>Persistent state through the runtime on a real redis-server shared by the test's silos.</summary>
public sealed class RedisPersistentStateTests(RedisServerFixture redis) : PersistentStateTests, IClassFixture<RedisServerFixture>
{
    protected override void AddStorage(IServiceCollection services) => services.AddRedisGrainStorage(redis.Server.ConnectionString);

    [Fact]
    public async Task Activation_StorageUnreachable_FailsCallAndNextCallRetriesAfterRecovery()
    {
        await using var silo = await TestSilo.StartAsync(AddStorage);
        var key = $"outage-{Guid.NewGuid():N}";
        await silo.Factory.GetGrain<ICounterGrain>("warm-up").PingAsync();
        await redis.Server.StopAsync();
        try
        {
            await Assert.ThrowsAnyAsync<StackExchange.Redis.RedisException>(() => silo.Factory.GetGrain<ICounterGrain>(key).GetAsync());
            Assert.False(silo.Runtime.IsActive("CounterGrain", key));
        }
        finally
        {
            await redis.Server.StartAsync();
        }

        await InventoryOrleans.TestSupport.Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    return await silo.Factory.GetGrain<ICounterGrain>(key).GetAsync() == 0;
                }
                catch (StackExchange.Redis.RedisException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(15),
            "the grain activates once Redis is back");
    }
}
