using InventoryOrleans.Silo.Options;

namespace InventoryOrleans.Ingest.Tests.Silo;

public sealed class StorageOptionsTests
{
    [Theory]
    [InlineData(null, true, StorageProvider.Sqlite)]
    [InlineData(null, false, StorageProvider.Redis)]
    [InlineData("redis", true, StorageProvider.Redis)]
    [InlineData("Sqlite", false, StorageProvider.Sqlite)]
    public void EffectiveProvider_DefaultsByBrokerMode(string? provider, bool embedded, StorageProvider expected) =>
        Assert.Equal(expected, new StorageOptions { Provider = provider }.EffectiveProvider(embedded));

    [Fact]
    public void Validate_UnknownProvider_SaysHowToFix()
    {
        var errors = new StorageOptions { Provider = "Mongo" }.Validate(embeddedBroker: true);

        Assert.Contains(errors, e => e.Contains("Storage__Provider", StringComparison.Ordinal) && e.Contains("Sqlite or Redis", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EmptyRedisConnection_SaysHowToFix()
    {
        var errors = new StorageOptions { Provider = "Redis", Redis = "" }.Validate(embeddedBroker: false);

        Assert.Contains(errors, e => e.Contains("Storage__Redis", StringComparison.Ordinal));
    }
}
