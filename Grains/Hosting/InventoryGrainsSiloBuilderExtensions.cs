using InventoryOrleans.Grains.Expiry;
using InventoryOrleans.Grains.Interfaces.Configuration;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Publication;
using InventoryOrleans.Grains.Storage;
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
        // Bound from the configuration the caller passes (the executable's, or a test cluster silo's own), which is
        // not always the one registered in the silo's services, where BindConfiguration would look.
        services.AddOptions<ProductGrainOptions>().Bind(configuration.GetSection(ProductGrainOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProductGrainOptions>, ProductGrainOptionsValidator>());

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

        services.AddOptions<InventoryOptions>().Bind(configuration.GetSection(InventoryOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InventoryOptions>, InventoryOptionsValidator>());

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
