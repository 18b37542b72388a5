using InventoryOrleans.Runtime.Tests.TestGrains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InventoryOrleans.Runtime.Tests.Hosting;

/// <summary>The runtime inside a generic host: started and stopped with it.</summary>
public sealed class GrainRuntimeHostingTests
{
    [Fact]
    public async Task Host_Stop_DeactivatesEveryActivationWithShuttingDown()
    {
        using var file = new TempSqliteFile();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<GrainProbe>();
        builder.Services.AddGrainRuntime().AddGrain<ICounterGrain, CounterGrain>().AddSqliteGrainStorage(file.Path);
        using var host = builder.Build();
        await host.StartAsync();
        var factory = host.Services.GetRequiredService<IGrainFactory>();
        Assert.Same(host.Services.GetRequiredService<GrainRuntime>(), factory);
        await factory.GetGrain<ICounterGrain>("hosted-a").IncrementAsync();
        await factory.GetGrain<ICounterGrain>("hosted-b").IncrementAsync();

        await host.StopAsync();

        var probe = host.Services.GetRequiredService<GrainProbe>();
        Assert.True(probe.WasDeactivated("hosted-a", DeactivationReason.ShuttingDown));
        Assert.True(probe.WasDeactivated("hosted-b", DeactivationReason.ShuttingDown));
    }

    [Fact]
    public async Task Host_InvalidOptions_FailsToStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddGrainRuntime(o => o.CollectionAge = TimeSpan.Zero);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("GrainRuntimeOptions.CollectionAge", error.Message, StringComparison.Ordinal);
    }
}
