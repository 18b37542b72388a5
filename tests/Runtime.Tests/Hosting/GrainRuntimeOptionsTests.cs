using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Runtime.Tests.Hosting;

/// <summary>Options are validated when the runtime is built, with messages that say how to fix them.</summary>
public sealed class GrainRuntimeOptionsTests
{
    [Fact]
    public void AddGrainRuntime_QuantumLongerThanAge_FailsWithFix()
    {
        using var provider = new ServiceCollection()
            .AddGrainRuntime(o =>
            {
                o.CollectionAge = TimeSpan.FromMinutes(1);
                o.CollectionQuantum = TimeSpan.FromMinutes(5);
            })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<GrainRuntime>());

        Assert.Contains("set the quantum to at most the age", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGrainRuntime_NonPositiveTimeout_FailsNamingTheSetting()
    {
        using var provider = new ServiceCollection().AddGrainRuntime(o => o.ResponseTimeout = TimeSpan.Zero).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IGrainFactory>());

        Assert.Contains("GrainRuntimeOptions.ResponseTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGrainRuntime_SamplingNotPowerOfTwo_FailsWithFix()
    {
        using var provider = new ServiceCollection().AddGrainRuntime(o => o.LatencySampling = 6).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<GrainRuntime>());

        Assert.Contains("LatencySampling is 6; set it to a power of two", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGrainRuntime_Defaults_FollowOrleans()
    {
        var options = new GrainRuntimeOptions();

        Assert.Equal(TimeSpan.FromMinutes(15), options.CollectionAge);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CollectionQuantum);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ResponseTimeout);
    }
}
