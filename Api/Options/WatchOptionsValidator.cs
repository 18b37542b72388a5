using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Options;

/// <summary>Checks <see cref="WatchOptions"/> at start; every message says how to fix the setting.</summary>
public sealed class WatchOptionsValidator : IValidateOptions<WatchOptions>
{
    /// <summary>The range of <see cref="WatchOptions.MaxLag"/>: under a second a busy but healthy reader is cut off; over an hour a stuck one holds its connection and subscriptions for that long.</summary>
    public static readonly TimeSpan MinMaxLag = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxMaxLag = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, WatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxLag < MinMaxLag || options.MaxLag > MaxMaxLag
            ? ValidateOptionsResult.Fail($"Watch:MaxLag {options.MaxLag} is out of range: set Watch__MaxLag to a time span from 00:00:01 to 01:00:00 (default 00:00:30), how long a watcher may leave a change unread before its watch ends.")
            : ValidateOptionsResult.Success;
    }
}
