using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains;

/// <summary>Checks <see cref="InventoryOptions"/> at start; the message says how to set the key.</summary>
public sealed class InventoryOptionsValidator : IValidateOptions<InventoryOptions>
{
    public ValidateOptionsResult Validate(string? name, InventoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.LowStockThreshold < 0
            ? ValidateOptionsResult.Fail($"{InventoryOptions.SectionName}:LowStockThreshold must be 0 or more (default 10); set {InventoryOptions.SectionName}__LowStockThreshold to the available stock at or below which a product is low.")
            : ValidateOptionsResult.Success;
    }
}
