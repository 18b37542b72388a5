using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains.Tests;

/// <summary>The product grain's and the inventory's settings, checked at start by validator classes.</summary>
public sealed class ProductGrainOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        Assert.True(new ProductGrainOptionsValidator().Validate(Options.DefaultName, new ProductGrainOptions()).Succeeded);
        Assert.True(new InventoryOptionsValidator().Validate(Options.DefaultName, new InventoryOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EveryRuleBroken_ReportsEachSayingWhichKeyToSet()
    {
        var result = new ProductGrainOptionsValidator().Validate(Options.DefaultName, new ProductGrainOptions
        {
            DedupWindowSize = 0,
            ExpiryRetryPeriod = TimeSpan.FromMinutes(2),
            IdleCollectionAge = TimeSpan.FromSeconds(30),
            ShedActivationsAbovePercent = 101,
        });

        Assert.Equal(
            ["ProductGrain__DedupWindowSize", "ProductGrain__ExpiryRetryPeriod", "ProductGrain__IdleCollectionAge", "ProductGrain__ShedActivationsAbovePercent"],
            result.Failures!.Select(f => f.Split("set ")[1].Split(' ')[0]));
    }

    [Fact]
    public void Validate_NegativeLowStockThreshold_SaysWhichKeyToSet()
    {
        var result = new InventoryOptionsValidator().Validate(Options.DefaultName, new InventoryOptions { LowStockThreshold = -1 });

        Assert.Contains("Inventory__LowStockThreshold", result.FailureMessage, StringComparison.Ordinal);
    }
}
