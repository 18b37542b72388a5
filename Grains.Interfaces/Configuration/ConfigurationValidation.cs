using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains.Interfaces.Configuration;

/// <summary>Options a host needs while it is being composed, before its services exist.</summary>
public static class ConfigurationValidation
{
    /// <summary>
    /// Binds <paramref name="section"/> as <c>BindConfiguration</c> would, applies <paramref name="defaults"/> (what a
    /// post-configure step of the host adds, e.g. an embedded server's address) and checks it with the validator that
    /// <c>ValidateOnStart</c> uses, so a bad value stops the start with the same message, only sooner.
    /// </summary>
    public static T GetValidated<T>(this IConfiguration configuration, string section, IValidateOptions<T> validator, Action<T>? defaults = null)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(validator);
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        defaults?.Invoke(options);
        var result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(section, typeof(T), result.Failures) : options;
    }
}
