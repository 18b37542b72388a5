using Microsoft.Extensions.Options;

namespace InventoryOrleans.DevBroker;

/// <summary>Validates <see cref="DevBrokerOptions"/> at host start-up with messages that say how to fix them.</summary>
public sealed class DevBrokerOptionsValidator : IValidateOptions<DevBrokerOptions>
{
    public ValidateOptionsResult Validate(string? name, DevBrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
