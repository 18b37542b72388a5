using InventoryOrleans.DevBroker;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Embedded;

/// <summary>
/// What the embedded DevBroker needs beyond <see cref="DevBrokerOptionsValidator"/>: fixed ports (a standalone broker
/// may pick any free one, but the silo's own clients and Avro producers must know where it listens).
/// </summary>
public sealed class EmbeddedDevBrokerOptionsValidator : IValidateOptions<DevBrokerOptions>
{
    public ValidateOptionsResult Validate(string? name, DevBrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Port is <= 0 or > 65535)
        {
            errors.Add("DevBroker:Port must be 1-65535 for the embedded broker, since the silo's own clients connect to it: set DevBroker__Port (default 9092).");
        }

        if (options.SchemaRegistryPort is not (> 0 and <= 65535))
        {
            errors.Add($"DevBroker:SchemaRegistryPort must be 1-65535 for the embedded broker, since the silo and Avro producers reach its schema registry there: set DevBroker__SchemaRegistryPort (default {DevBrokerOptions.DefaultSchemaRegistryPort}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
