using InventoryOrleans.TestSupport;
using StackExchange.Redis;

namespace InventoryOrleans.Grains.Tests.Storage;

/// <summary>One real redis-server for a test class, and a plain connection to look at what the provider stored.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private ConnectionMultiplexer? _connection;

    public RedisServer Server { get; } = new();

    public IDatabase Raw => _connection!.GetDatabase();

    /// <summary>How many script calls (EVAL and EVALSHA) the server has run so far.</summary>
    public async Task<long> ScriptCallsAsync()
    {
        var server = _connection!.GetServer(_connection.GetEndPoints()[0]);
        var stats = (await server.InfoAsync("commandstats")).SelectMany(g => g).ToList();
        return stats.Where(s => s.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(s => long.Parse(s.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task InitializeAsync()
    {
        await Server.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(Server.ConnectionString + ",allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
