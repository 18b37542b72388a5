using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains;

/// <summary>Checks <see cref="ProductGrainOptions"/> at start; every message says how to set the key.</summary>
public sealed class ProductGrainOptionsValidator : IValidateOptions<ProductGrainOptions>
{
    private const string Section = ProductGrainOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ProductGrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.DedupWindowSize <= 0)
        {
            errors.Add($"{Section}:DedupWindowSize must be at least 1 (default 10000); set {Section}__DedupWindowSize to a positive number of eventIds to remember per product.");
        }

        if (options.ExpiryRetryPeriod < TimeSpan.FromMilliseconds(100) || options.ExpiryRetryPeriod > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{Section}:ExpiryRetryPeriod must be between 00:00:00.1 and 00:01:00 (default 00:00:02); set {Section}__ExpiryRetryPeriod to a time span.");
        }

        if (options.IdleCollectionAge <= TimeSpan.FromMinutes(1) || options.IdleCollectionAge > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:IdleCollectionAge must be over 00:01:00 (Orleans' collection quantum) and at most 1.00:00:00 (default 00:02:00); set {Section}__IdleCollectionAge to a time span.");
        }

        if (options.ShedActivationsAbovePercent is < 0 or > 100)
        {
            errors.Add($"{Section}:ShedActivationsAbovePercent must be 0 (off) to 100 (default 85); set {Section}__ShedActivationsAbovePercent to the silo's managed memory, in percent of the machine's, above which Orleans deactivates the least recently used activations.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
