using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains.Interfaces.Configuration;

/// <summary>Registers <see cref="MillisecondsKeys{TOptions}"/> beside <c>BindConfiguration</c>.</summary>
public static class MillisecondsKeysExtensions
{
    /// <summary>
    /// Also accepts <c>&lt;section&gt;:&lt;property&gt;Ms</c> (whole milliseconds) for each named <see cref="TimeSpan"/>
    /// property, after the binding of <paramref name="section"/>; a conflict between the two keys fails validation.
    /// </summary>
    public static OptionsBuilder<TOptions> AcceptMillisecondsKeys<TOptions>(this OptionsBuilder<TOptions> builder, string section, params string[] properties)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Several host parts register one section (the API and the ingest both bind Kafka): its keys are read once.
        if (builder.Services.Any(d => d.ServiceType == typeof(MillisecondsKeys<TOptions>)))
        {
            return builder;
        }

        builder.Services.AddSingleton(sp => new MillisecondsKeys<TOptions>(sp.GetRequiredService<IConfiguration>(), section, properties));
        builder.Services.AddSingleton<IPostConfigureOptions<TOptions>>(sp => sp.GetRequiredService<MillisecondsKeys<TOptions>>());
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(sp => sp.GetRequiredService<MillisecondsKeys<TOptions>>());
        return builder;
    }
}
