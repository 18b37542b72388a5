using InventoryOrleans.Grains.Interfaces.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains.Interfaces.Kafka;

/// <summary>Registers <see cref="KafkaOptions"/> (section <c>Kafka</c>) once for every host part that uses Kafka.</summary>
public static class KafkaServiceCollectionExtensions
{
    /// <summary>
    /// Binds section <c>Kafka</c>, accepts its older <c>…Ms</c> keys (<see cref="MillisecondsKeys{TOptions}"/>) and
    /// validates it at start (<see cref="KafkaOptionsValidator"/>). Safe to call from each part (the API, the ingest).
    /// </summary>
    public static IServiceCollection AddKafkaOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<KafkaOptions>()
            .BindConfiguration(KafkaOptions.SectionName)
            .AcceptMillisecondsKeys(KafkaOptions.SectionName, KafkaOptions.MillisecondsAliases)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        return services;
    }
}
