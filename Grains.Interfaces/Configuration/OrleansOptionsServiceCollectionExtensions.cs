using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace InventoryOrleans.Grains.Interfaces.Configuration;

/// <summary>Registers the sections every Orleans host of the service reads: <c>Orleans</c> and <c>Redis</c>.</summary>
public static class OrleansOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="OrleansOptions"/> at start, and gives Orleans' own <see cref="ClusterOptions"/>
    /// its cluster identity (Orleans' defaults, <c>default</c> / <c>dev</c>, would form another cluster).
    /// </summary>
    public static IServiceCollection AddOrleansOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<OrleansOptions>().BindConfiguration(OrleansOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OrleansOptions>, OrleansOptionsValidator>());
        services.AddOptions<ClusterOptions>().Configure<IOptions<OrleansOptions>>((cluster, orleans) =>
        {
            cluster.ClusterId = orleans.Value.ClusterId;
            cluster.ServiceId = orleans.Value.ServiceId;
        });
        return services;
    }

    /// <summary>Binds and validates <see cref="RedisOptions"/> at start.</summary>
    public static IServiceCollection AddRedisOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>());
        return services;
    }
}
