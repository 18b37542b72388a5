using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.DevBroker;

/// <summary>Registration of the embedded DevBroker in a host.</summary>
public static class DevBrokerServiceCollectionExtensions
{
    /// <summary>Binds <see cref="DevBrokerOptions"/> from the "DevBroker" section, validates them at start-up and runs the broker as a hosted service.</summary>
    public static IHostApplicationBuilder AddDevBroker(this IHostApplicationBuilder builder, Action<DevBrokerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<DevBrokerOptions>().BindConfiguration(DevBrokerOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton<IValidateOptions<DevBrokerOptions>, DevBrokerOptionsValidator>();
        options.ValidateOnStart();
        builder.Services.AddSingleton<DevBrokerHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DevBrokerHostedService>());
        return builder;
    }
}
