using InventoryOrleans.Grains.Interfaces.Configuration;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>Checks <see cref="SchemaRegistryOptions"/> at start and says how to fix a bad setting.</summary>
public sealed class SchemaRegistryOptionsValidator : IValidateOptions<SchemaRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, SchemaRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Url is { } url)
        {
            var entries = url.Split(',', StringSplitOptions.TrimEntries);
            if (entries.Any(e => !Uri.TryCreate(e, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                failures.Add($"SchemaRegistry:Url '{url}' is not a list of http(s) URLs: set SchemaRegistry__Url=http://host:8081 (comma-separated for several), or leave it unset (the embedded default's DevBroker registry; with an external Kafka, Avro off).");
            }
        }

        if (options.RequestTimeout < TimeSpan.FromMilliseconds(1))
        {
            failures.Add($"SchemaRegistry:RequestTimeout is {MillisecondsKeys<SchemaRegistryOptions>.Format(options.RequestTimeout)}: set SchemaRegistry__RequestTimeout to a positive time span (default 00:00:05).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
