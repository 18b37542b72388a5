using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Runtime.Tests.Storage.Redis;

/// <summary>One real Redis server per test class.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartNewAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
