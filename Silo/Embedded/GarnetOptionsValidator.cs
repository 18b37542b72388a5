using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Embedded;

/// <summary>Checks <see cref="GarnetOptions"/> at start.</summary>
public sealed class GarnetOptionsValidator : IValidateOptions<GarnetOptions>
{
    public ValidateOptionsResult Validate(string? name, GarnetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Port is < 1 or > 65535)
        {
            errors.Add($"Garnet:Port {options.Port} is not a port: set Garnet__Port to 1-65535 (default 6380), or set Redis__ConnectionString to use your own Redis.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            errors.Add("Garnet:DataDir is empty: set Garnet__DataDir to a folder for the embedded Redis data (default data/redis).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
