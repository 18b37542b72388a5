using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InventoryOrleans.Grains;

/// <summary>Registers the inventory grains and their options.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ProductGrainOptions"/> (validated at start; bound from the <c>ProductGrain</c> section of
    /// <paramref name="configuration"/> when given) and the product grain with the runtime
    /// (which <c>AddGrainRuntime</c> and a storage provider complete).
    /// </summary>
    public static IServiceCollection AddInventoryGrains(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ProductGrainOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(ProductGrainOptions.SectionName));
        }

        options
            .Validate(
                o => o.DedupWindowSize > 0,
                $"{ProductGrainOptions.SectionName}:DedupWindowSize must be at least 1 (default 10000); set {ProductGrainOptions.SectionName}__DedupWindowSize to a positive number of eventIds to remember per product.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddGrain<IProductGrain, ProductGrain>(ProductGrain.GrainTypeName);
        return services;
    }
}
