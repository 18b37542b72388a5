using InventoryOrleans.Runtime.Storage.Redis;
using InventoryOrleans.Runtime.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Runtime;

/// <summary>Registers the grain runtime, grains and a storage provider.</summary>
public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime as <see cref="GrainRuntime"/>, <see cref="IGrainFactory"/> and a hosted service (idle collection; graceful
    /// shutdown), its <see cref="GrainRuntimeMetrics"/>, and <see cref="TimeProvider.System"/> unless a TimeProvider is registered.
    /// </summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GrainRuntimeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrainRuntimeOptions>, GrainRuntimeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainStateSerializer>();
        services.TryAddSingleton<GrainRuntimeMetrics>();
        services.TryAddSingleton<GrainRuntime>();
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GrainRuntime>(sp => sp.GetRequiredService<GrainRuntime>()));
        return services;
    }

    /// <summary>Registers <typeparamref name="TGrain"/> as the grain behind <typeparamref name="TInterface"/>; the grain type name defaults to the class name.</summary>
    public static IServiceCollection AddGrain<TInterface, TGrain>(this IServiceCollection services, string? grainType = null)
        where TInterface : IGrainWithStringKey
        where TGrain : Grain, TInterface
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(new GrainRegistration(typeof(TInterface), typeof(TGrain), grainType ?? typeof(TGrain).Name));
        return services;
    }

    /// <summary>Stores grain state and reminders in one SQLite file (created when missing, WAL mode).</summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string path)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        services.AddSingleton(new SqliteGrainDatabase(path));
        services.AddSingleton<IGrainStorage, SqliteGrainStorage>();
        services.AddSingleton<IReminderTable, SqliteReminderTable>();
        return services;
    }

    /// <summary>Stores grain state and reminders in Redis through one shared connection (StackExchange.Redis connection string).</summary>
    public static IServiceCollection AddRedisGrainStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddSingleton(_ => new RedisGrainConnection(connectionString));
        services.AddSingleton<IGrainStorage, RedisGrainStorage>();
        services.AddSingleton<IReminderTable, RedisReminderTable>();
        return services;
    }
}
