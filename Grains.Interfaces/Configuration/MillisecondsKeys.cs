using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains.Interfaces.Configuration;

/// <summary>
/// Accepts the older whole-millisecond keys of a section's <see cref="TimeSpan"/> settings: <c>Kafka:PollTimeoutMs=100</c>
/// sets <c>PollTimeout</c> as <c>Kafka:PollTimeout=00:00:00.100</c> would. Deployments, scripts and the contract
/// (<c>Api__OutcomeTimeoutMs</c>) set these keys, so they keep working; the options types themselves hold only the
/// <see cref="TimeSpan"/>s. A key that is set wins over one that is not; both set and disagreeing fail validation,
/// naming the key to remove.
/// </summary>
/// <remarks>
/// Runs after binding (a post-configure step), reads the keys straight from the configuration, and checks what it read
/// (validation): one class for every section, instead of an <c>int? …Ms</c> twin beside each <see cref="TimeSpan"/>.
/// </remarks>
public sealed class MillisecondsKeys<TOptions> : IPostConfigureOptions<TOptions>, IValidateOptions<TOptions>
    where TOptions : class
{
    /// <summary>The suffix of an older key: <c>PollTimeoutMs</c> is the alias of <c>PollTimeout</c>.</summary>
    public const string Suffix = "Ms";

    private readonly IConfiguration _configuration;
    private readonly string _section;
    private readonly PropertyInfo[] _properties;

    /// <param name="configuration">The host's configuration (the one <c>BindConfiguration</c> reads).</param>
    /// <param name="section">The section, e.g. <c>Kafka</c>.</param>
    /// <param name="properties">The <see cref="TimeSpan"/> properties of <typeparamref name="TOptions"/> whose <c>…Ms</c> key is accepted.</param>
    public MillisecondsKeys(IConfiguration configuration, string section, IEnumerable<string> properties)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(properties);
        _configuration = configuration;
        _section = section;
        _properties = properties.Select(Property).ToArray();
    }

    /// <summary>Sets each property whose <c>…Ms</c> key is set and whose own key is not.</summary>
    public void PostConfigure(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name != Microsoft.Extensions.Options.Options.DefaultName)
        {
            return;
        }

        foreach (var property in _properties)
        {
            if (Milliseconds(property) is { } value && _configuration[Key(property.Name)] is null)
            {
                property.SetValue(options, TimeSpan.FromMilliseconds(value));
            }
        }
    }

    /// <summary>Refuses a <c>…Ms</c> key that is not whole milliseconds, or that disagrees with the new key beside it.</summary>
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name != Microsoft.Extensions.Options.Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        foreach (var property in _properties)
        {
            var alias = property.Name + Suffix;
            var text = _configuration[Key(alias)];
            if (text is null)
            {
                continue;
            }

            var value = (TimeSpan)property.GetValue(options)!;
            if (Milliseconds(property) is not { } milliseconds)
            {
                failures.Add($"{Key(alias)} '{text}' is not a whole number of milliseconds: set {EnvironmentKey(property.Name)} to a time span instead, e.g. {EnvironmentKey(property.Name)}={Format(value)}, and remove {EnvironmentKey(alias)}.");
            }
            else if (_configuration[Key(property.Name)] is { } set && value != TimeSpan.FromMilliseconds(milliseconds))
            {
                failures.Add($"{Key(alias)} ({milliseconds}) and {Key(property.Name)} ('{set}') disagree: remove {EnvironmentKey(alias)}, the older key, and keep {EnvironmentKey(property.Name)}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A duration as the configuration writes it (<c>00:00:00.100</c>): what a message suggests setting.</summary>
    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private int? Milliseconds(PropertyInfo property) =>
        int.TryParse(_configuration[Key(property.Name + Suffix)], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    private string Key(string key) => $"{_section}:{key}";

    private string EnvironmentKey(string key) => $"{_section}__{key}";

    // A misspelt name is a bug in the registration, found by the first test that starts a host.
    private static PropertyInfo Property(string name) =>
        typeof(TOptions).GetProperty(name) is { PropertyType: var type, CanWrite: true } property && type == typeof(TimeSpan)
            ? property
            : throw new ArgumentException($"{typeof(TOptions).Name}.{name} is not a settable TimeSpan property.", nameof(name));
}
