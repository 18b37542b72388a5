using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains.Tests;

public sealed class GrainsServiceCollectionExtensionsTests
{
    [Fact]
    public void AddInventoryGrains_NoConfiguration_DefaultWindowOf10000()
    {
        using var provider = new ServiceCollection().AddInventoryGrains().BuildServiceProvider();

        Assert.Equal(10_000, provider.GetRequiredService<IOptions<ProductGrainOptions>>().Value.DedupWindowSize);
    }

    [Fact]
    public void AddInventoryGrains_Configuration_BindsProductGrainSection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ProductGrain:DedupWindowSize"] = "250" })
            .Build();

        using var provider = new ServiceCollection().AddInventoryGrains(configuration).BuildServiceProvider();

        Assert.Equal(250, provider.GetRequiredService<IOptions<ProductGrainOptions>>().Value.DedupWindowSize);
    }

    [Fact]
    public async Task AddInventoryGrains_WindowSizeZero_HostFailsToStartNamingTheSetting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ProductGrain:DedupWindowSize"] = "0" });
        builder.Services.AddInventoryGrains(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ProductGrain__DedupWindowSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddInventoryGrains_Registered_ProductGrainResolvableThroughRuntime()
    {
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddGrainRuntime()
            .AddInventoryGrains()
            .BuildServiceProvider();

        var registration = Assert.Single(provider.GetServices<GrainRegistration>());

        Assert.Equal((typeof(IProductGrain), typeof(ProductGrain), "ProductGrain"), (registration.Interface, registration.GrainClass, registration.GrainType));
        Assert.NotNull(provider.GetRequiredService<IGrainFactory>().GetGrain<IProductGrain>("sku-1"));
    }
}
