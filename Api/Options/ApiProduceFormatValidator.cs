using InventoryOrleans.Grains.Interfaces.Avro;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Options;

/// <summary>
/// Refuses <c>Api:ProduceFormat=avro</c> without a schema registry to register the schema in. Apart from
/// <see cref="ApiOptionsValidator"/> because it reads another section (<see cref="SchemaRegistryOptions"/>, which the
/// embedded default fills in after binding).
/// </summary>
public sealed class ApiProduceFormatValidator(IOptions<SchemaRegistryOptions> registry) : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Format == WireFormat.Avro && string.IsNullOrWhiteSpace(registry.Value.Url)
            ? ValidateOptionsResult.Fail("Api:ProduceFormat is avro but no schema registry is configured: set SchemaRegistry__Url=http://host:8081, or Api__ProduceFormat=json.")
            : ValidateOptionsResult.Success;
    }
}
