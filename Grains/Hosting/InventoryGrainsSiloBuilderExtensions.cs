using InventoryOrleans.Grains.Expiry;
using InventoryOrleans.Grains.Interfaces.Configuration;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Publication;
using InventoryOrleans.Grains.Storage;
using InventoryOrleans.Grains.Watching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using StackExchange.Redis;

namespace InventoryOrleans.Grains.Hosting;

/// <summary>Registers the inventory grains with an Orleans silo.</summary>
public static class InventoryGrainsSiloBuilderExtensions
{
    /// <summary>
    /// Adds what <see cref="ProductGrain"/> needs: its options (section <c>ProductGrain</c>, validated at start), the
    /// <c>products</c> grain storage (<see cref="SegmentedRedisGrainStorage"/> on <paramref name="redis"/>), the
    /// partition placement director, the publication history (<see cref="RedisPublicationHistory"/> on <paramref name="redis"/>),
    /// and reminder periods short enough for its expiry reminder. Orleans' reminder
    /// service (<c>UseRedisReminderService</c>) is the caller's, as are clustering and the other storage providers.
    /// <paramref name="durabilityCommand"/>: see <see cref="SegmentedRedisStorageOptions.DurabilityCommand"/>; unset:
    /// <see cref="RedisOptions.DurabilityCommand"/> (<c>Redis:DurabilityCommand</c>, or what the embedded Garnet sets).
    /// </summary>
    public static ISiloBuilder AddInventoryGrains(this ISiloBuilder silo, IConfiguration configuration, ConfigurationOptions redis, string? durabilityCommand = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(redis);
        var services = silo.Services;
        services.AddOptions<ProductGrainOptions>()
            .Bind(configuration.GetSection(ProductGrainOptions.SectionName))
            .Validate(
                o => o.DedupWindowSize > 0,
                $"{ProductGrainOptions.SectionName}:DedupWindowSize must be at least 1 (default 10000); set {ProductGrainOptions.SectionName}__DedupWindowSize to a positive number of eventIds to remember per product.")
            .Validate(
                o => o.ExpiryRetryPeriod >= TimeSpan.FromMilliseconds(100) && o.ExpiryRetryPeriod <= TimeSpan.FromMinutes(1),
                $"{ProductGrainOptions.SectionName}:ExpiryRetryPeriod must be between 00:00:00.1 and 00:01:00 (default 00:00:02); set {ProductGrainOptions.SectionName}__ExpiryRetryPeriod to a time span.")
            .Validate(
                o => o.IdleCollectionAge > TimeSpan.FromMinutes(1) && o.IdleCollectionAge <= TimeSpan.FromDays(1),
                $"{ProductGrainOptions.SectionName}:IdleCollectionAge must be over 00:01:00 (Orleans' collection quantum) and at most 1.00:00:00 (default 00:02:00); set {ProductGrainOptions.SectionName}__IdleCollectionAge to a time span.")
            .Validate(
                o => o.ShedActivationsAbovePercent is >= 0 and <= 100,
                $"{ProductGrainOptions.SectionName}:ShedActivationsAbovePercent must be 0 (off) to 100 (default 85); set {ProductGrainOptions.SectionName}__ShedActivationsAbovePercent to the silo's managed memory, in percent of the machine's, above which Orleans deactivates the least recently used activations.")
            .ValidateOnStart();

        // Product activations leave memory when idle, and under memory pressure (see ProductGrainOptions).
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<ProductGrainOptions>>((collection, grains) =>
        {
            collection.ClassSpecificCollectionAge[typeof(ProductGrain).FullName!] = grains.Value.IdleCollectionAge;
            if (grains.Value.ShedActivationsAbovePercent > 0)
            {
                collection.EnableActivationSheddingOnMemoryPressure = true;
                collection.MemoryUsageLimitPercentage = grains.Value.ShedActivationsAbovePercent;
                collection.MemoryUsageTargetPercentage = Math.Max(0, grains.Value.ShedActivationsAbovePercent - 10);
            }
        });

        services.AddOptions<InventoryOptions>()
            .Bind(configuration.GetSection(InventoryOptions.SectionName))
            .Validate(
                o => o.LowStockThreshold >= 0,
                $"{InventoryOptions.SectionName}:LowStockThreshold must be 0 or more (default 10); set {InventoryOptions.SectionName}__LowStockThreshold to the available stock at or below which a product is low.")
            .ValidateOnStart();

        // Orleans refuses reminder periods under a minute by default; the expiry reminder retries every few seconds.
        services.AddOptions<ReminderOptions>().Configure<IOptions<ProductGrainOptions>>((reminders, grains) =>
        {
            if (reminders.MinimumReminderPeriod > grains.Value.ExpiryRetryPeriod)
            {
                reminders.MinimumReminderPeriod = grains.Value.ExpiryRetryPeriod;
            }
        });

        // A product grain that finds itself on a silo not consuming its partition migrates (see ProductGrain); its
        // state travels whole, window segments included.
        services.AddSerializer(serializer => serializer.AddJsonSerializer(
            isSupported: type => type == typeof(ProductState),
            jsonSerializerOptions: ProductStateMigration.JsonOptions));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalProductActivations>();
        services.TryAddSingleton<WatchLeases>();
        services.TryAddSingleton<IProductOwnerLocator, NoProductOwners>();
        services.TryAddSingleton<IExpiryPublisher, UnpublishedExpiries>();
        services.TryAddSingleton<IPublicationHistory>(sp => new RedisPublicationHistory(redis, sp.GetRequiredService<IOptions<ClusterOptions>>()));
        services.AddPlacementDirector<PartitionPlacementStrategy, PartitionPlacementDirector>();
        services.AddGrainStorage(ProductGrain.StorageName, (sp, name) => new SegmentedRedisGrainStorage(
            name,
            new SegmentedRedisStorageOptions { ConfigurationOptions = redis, DurabilityCommand = durabilityCommand ?? sp.GetRequiredService<IOptions<RedisOptions>>().Value.DurabilityCommand, JsonOptions = ProductStateHeadConverter.StorageOptions },
            sp.GetRequiredService<IOptions<ClusterOptions>>(),
            sp.GetRequiredService<IActivatorProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SegmentedRedisGrainStorage>>()));
        return silo;
    }
}
