using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Runtime;
using InventoryOrleans.Runtime.Storage.Redis;
using InventoryOrleans.Runtime.Storage.Sqlite;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Grains.Tests;

/// <summary>
/// The real grain runtime with the inventory grains on SQLite (a file the test names, so two silos can share it) or
/// Redis, a manual clock, and the storage wrapped in <see cref="FaultyGrainStorage"/>.
/// </summary>
internal sealed class ProductGrainSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ProductGrainSilo(ServiceProvider services)
    {
        _services = services;
        Runtime = services.GetRequiredService<GrainRuntime>();
        Storage = (FaultyGrainStorage)services.GetRequiredService<IGrainStorage>();
        Reminders = services.GetRequiredService<IReminderTable>();
    }

    public GrainRuntime Runtime { get; }

    public FaultyGrainStorage Storage { get; }

    public IReminderTable Reminders { get; }

    public static Task<ProductGrainSilo> StartSqliteAsync(string path, ManualTimeProvider time, int windowSize = 10_000) =>
        StartAsync(
            services => services
                .AddSqliteGrainStorage(path)
                .AddSingleton<IGrainStorage>(sp => new FaultyGrainStorage(new SqliteGrainStorage(sp.GetRequiredService<SqliteGrainDatabase>()))),
            time,
            windowSize);

    public static Task<ProductGrainSilo> StartRedisAsync(string connectionString, ManualTimeProvider time) =>
        StartAsync(
            services => services
                .AddRedisGrainStorage(connectionString)
                .AddSingleton<IGrainStorage>(sp => new FaultyGrainStorage(new RedisGrainStorage(sp.GetRequiredService<RedisGrainConnection>()))),
            time,
            10_000);

    public IProductGrain Product(string key) => Runtime.GetGrain<IProductGrain>(key);

    /// <summary>Deactivates every product grain and waits until they are gone (as when partitions move away).</summary>
    public Task DeactivateAllAsync() => Runtime.DeactivateAsync(static (_, _) => true);

    public bool IsActive(string key) => Runtime.IsActive(ProductGrain.GrainTypeName, key);

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }

    private static async Task<ProductGrainSilo> StartAsync(Action<IServiceCollection> storage, ManualTimeProvider time, int windowSize)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        storage(services);
        services.AddGrainRuntime();
        services.AddInventoryGrains();
        services.Configure<ProductGrainOptions>(o => o.DedupWindowSize = windowSize);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var silo = new ProductGrainSilo(provider);
        await silo.Runtime.StartAsync(CancellationToken.None);
        return silo;
    }
}
