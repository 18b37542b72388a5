using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Rollback;

/// <summary>Checks <see cref="RollbackCheckOptions"/> at start and says how to fix a bad setting.</summary>
public sealed class RollbackCheckOptionsValidator : IValidateOptions<RollbackCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, RollbackCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxScanMessages < 1)
        {
            failures.Add($"RollbackCheck:MaxScanMessages is {options.MaxScanMessages}: set RollbackCheck__MaxScanMessages to the most messages one check reads of a partition (1 or more, default 1000000).");
        }

        if (options.ScanTimeout <= TimeSpan.Zero)
        {
            failures.Add($"RollbackCheck:ScanTimeout is {options.ScanTimeout}: set RollbackCheck__ScanTimeout to a positive time span (default 00:02:00).");
        }

        if (options.RecheckPeriod < TimeSpan.FromMilliseconds(100) || options.RecheckPeriod > TimeSpan.FromHours(1))
        {
            failures.Add($"RollbackCheck:RecheckPeriod is {options.RecheckPeriod}: set RollbackCheck__RecheckPeriod between 00:00:00.1 and 01:00:00 (default 00:00:10).");
        }

        if (options.MaxParallelProducts < 1)
        {
            failures.Add($"RollbackCheck:MaxParallelProducts is {options.MaxParallelProducts}: set RollbackCheck__MaxParallelProducts to 1 or more (default 32).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
