using InventoryOrleans.Grains.Interfaces.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>Registers the schema registry of the Avro wire format (section <c>SchemaRegistry</c>), once for every host part that needs it.</summary>
public static class SchemaRegistryServiceCollectionExtensions
{
    public static IServiceCollection AddSchemaRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SchemaRegistryOptions>()
            .BindConfiguration(SchemaRegistryOptions.SectionName)
            .AcceptMillisecondsKeys(SchemaRegistryOptions.SectionName, nameof(SchemaRegistryOptions.RequestTimeout))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchemaRegistryOptions>, SchemaRegistryOptionsValidator>());
        services.TryAddSingleton<RegistrySchemas>();
        return services;
    }
}
