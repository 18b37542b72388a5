using StackExchange.Redis;

namespace InventoryOrleans.Silo.Health;

/// <summary>Checks that the silo's Redis answers (a PING on a connection of its own, so a probe never waits behind grain writes).</summary>
public sealed class RedisProbe(ConfigurationOptions redis) : IDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() =>
    {
        var options = redis.Clone();
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2_000;
        options.SyncTimeout = 2_000;
        options.AsyncTimeout = 2_000;
        options.ClientName = "inventory-readyz";
        return ConnectionMultiplexer.ConnectAsync(options);
    });

    /// <summary>The round trip of one PING; throws when Redis does not answer.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        var connection = await _connection.Value.WaitAsync(cancellationToken);
        return await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }
}
