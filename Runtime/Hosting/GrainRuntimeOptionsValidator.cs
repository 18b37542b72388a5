using Microsoft.Extensions.Options;

namespace InventoryOrleans.Runtime;

/// <summary>Checks <see cref="GrainRuntimeOptions"/> and says how to fix a bad setting.</summary>
internal sealed class GrainRuntimeOptionsValidator : IValidateOptions<GrainRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainRuntimeOptions options)
    {
        var failures = new List<string>();
        Positive(failures, options.CollectionAge, nameof(options.CollectionAge), "for example 00:15:00");
        Positive(failures, options.CollectionQuantum, nameof(options.CollectionQuantum), "for example 00:01:00");
        Positive(failures, options.ResponseTimeout, nameof(options.ResponseTimeout), "for example 00:00:30");
        Positive(failures, options.ActivationTimeout, nameof(options.ActivationTimeout), "for example 00:00:30");
        Positive(failures, options.DeactivationTimeout, nameof(options.DeactivationTimeout), "for example 00:00:30");
        if (options.LatencySampling < 1 || !int.IsPow2(options.LatencySampling))
        {
            failures.Add($"GrainRuntimeOptions.LatencySampling is {options.LatencySampling}; set it to a power of two (1 times every call, 8 is the default).");
        }

        if (options.CollectionQuantum > options.CollectionAge)
        {
            failures.Add($"GrainRuntimeOptions.CollectionQuantum ({options.CollectionQuantum}) is longer than CollectionAge ({options.CollectionAge}); set the quantum to at most the age, typically a fifteenth of it.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, TimeSpan value, string name, string example)
    {
        if (value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan)
        {
            failures.Add($"GrainRuntimeOptions.{name} is {value}; set it to a positive duration ({example}).");
        }
    }
}
