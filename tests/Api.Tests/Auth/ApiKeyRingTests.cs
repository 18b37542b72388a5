using InventoryOrleans.Api.Auth;
using InventoryOrleans.Api.Options;

namespace InventoryOrleans.Api.Tests.Auth;

/// <summary>The key comparison: every configured key matches, nothing else does (no prefix, no padding, no empty key).</summary>
public sealed class ApiKeyRingTests
{
    [Fact]
    public void Matches_ConfiguredKeysTrimmedAndNothingElse()
    {
        var ring = new ApiKeyRing(Microsoft.Extensions.Options.Options.Create(new ApiOptions { Keys = " alpha ,beta,, " }));

        Assert.True(ring.Enabled);
        Assert.True(ring.Matches("alpha"));
        Assert.True(ring.Matches("beta"));
        Assert.False(ring.Matches("alph"));
        Assert.False(ring.Matches("alpha "));
        Assert.False(ring.Matches("betaalpha"));
        Assert.False(ring.Matches(""));
        Assert.False(ring.Matches("Alpha"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public void Enabled_NoKeys_False(string? keys)
    {
        var ring = new ApiKeyRing(Microsoft.Extensions.Options.Options.Create(new ApiOptions { Keys = keys }));

        Assert.False(ring.Enabled);
        Assert.False(ring.Matches(""));
    }
}
