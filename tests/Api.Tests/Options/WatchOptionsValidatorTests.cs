using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Tests.Support;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Tests.Options;

/// <summary><c>Watch:MaxLag</c> is checked at start, and a bad value says how to set it.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class WatchOptionsValidatorTests(ApiCluster cluster)
{
    [Theory]
    [InlineData("00:00:01")]
    [InlineData("00:00:30")]
    [InlineData("01:00:00")]
    public void Validate_MaxLagInRange_Passes(string maxLag)
    {
        var result = new WatchOptionsValidator().Validate(null, new WatchOptions { MaxLag = TimeSpan.Parse(maxLag, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Defaults_MaxLag_ThirtySeconds() => Assert.Equal(TimeSpan.FromSeconds(30), new WatchOptions().MaxLag);

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.5")]
    [InlineData("01:00:01")]
    [InlineData("-00:00:05")]
    public async Task Start_MaxLagOutOfRange_RefusesNamingWatchMaxLag(string maxLag)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartHostAsync(cluster.Settings(("Watch:MaxLag", maxLag))));

        Assert.Contains("Watch__MaxLag", refused.Message, StringComparison.Ordinal);
        Assert.Contains("00:00:01 to 01:00:00", refused.Message, StringComparison.Ordinal);
    }
}
