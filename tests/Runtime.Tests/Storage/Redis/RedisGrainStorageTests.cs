using InventoryOrleans.Runtime.Storage.Redis;
using StackExchange.Redis;

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

    [Fact]
    public async Task WriteSegmentedAsync_WritesQueuedWhileRedisIsBusy_GoOutInFewScriptCalls()
    {
        using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.Server.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);

        // A script that keeps Redis busy for 300 ms: the writes below queue up behind the few calls already sent.
        var busy = admin.GetDatabase().ScriptEvaluateAsync("""
            local s = redis.call('TIME')
            repeat local n = redis.call('TIME') until (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > 300000
            return 1
            """);
        await Task.Delay(100);
        var before = ScriptCalls(server);

        var keys = Enumerable.Range(0, 500).Select(i => $"burst-{Guid.NewGuid():N}").ToArray();
        await Task.WhenAll(keys.Select(k => Storage.WriteSegmentedAsync("BurstGrain", k, "state", "{}"u8.ToArray(), StateSegmentChanges.None, null)));
        await busy;

        // One call per write without batching; with it a handful. The bound leaves room for a loaded machine where
        // the busy script starts late and some writes go out in small batches.
        var calls = ScriptCalls(server) - before;
        Assert.InRange(calls, 1, 125);
        foreach (var key in keys)
        {
            Assert.Equal("1", (await Storage.ReadAsync("BurstGrain", key, "state")).Etag);
        }
    }

    private static long ScriptCalls(IServer server) =>
        server.Info("commandstats")
            .SelectMany(group => group)
            .Where(pair => pair.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(pair => long.Parse(pair.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => _connection.Dispose();
}
