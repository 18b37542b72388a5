using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using StackExchange.Redis;

namespace InventoryOrleans.Grains.Tests.Storage;

/// <summary>
/// A <see cref="SegmentedRedisGrainStorage"/> built the way the silo builds it, outside any silo: for the provider's
/// own tests, and as "another writer" beside a running silo.
/// </summary>
internal static class TestGrainStorage
{
    // What the silo hands the provider to create new states; Orleans' serializer registers it.
    private static readonly Lazy<IActivatorProvider> Activators = new(() =>
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>());

    public static async Task<SegmentedRedisGrainStorage> ConnectAsync(string redisConnectionString, string serviceId, Action<SegmentedRedisStorageOptions>? configure = null)
    {
        var options = new SegmentedRedisStorageOptions { ConfigurationOptions = ConfigurationOptions.Parse(redisConnectionString), JsonOptions = ProductStateHeadConverter.StorageOptions };
        configure?.Invoke(options);
        var storage = new SegmentedRedisGrainStorage(
            "products",
            options,
            Options.Create(new ClusterOptions { ServiceId = serviceId }),
            Activators.Value,
            NullLogger<SegmentedRedisGrainStorage>.Instance);
        await storage.ConnectAsync(CancellationToken.None);
        return storage;
    }
}
