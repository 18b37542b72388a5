namespace InventoryOrleans.DevBroker.Tests.Options;

public sealed class DevBrokerOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoProblems()
    {
        Assert.Empty(new DevBrokerOptions().Validate());
    }

    [Fact]
    public void Validate_BadValues_EachProblemSaysHowToFixIt()
    {
        var options = new DevBrokerOptions { Port = -1, Host = "localhost", DefaultPartitions = 0, MaxFrameBytes = 10, RetentionMs = 0 };

        var problems = options.Validate();

        Assert.Contains(problems, p => p.Contains("DevBroker:Port", StringComparison.Ordinal) && p.Contains("1-65535", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("DevBroker:Host", StringComparison.Ordinal) && p.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("DevBroker:DefaultPartitions", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("DevBroker:MaxFrameBytes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("DevBroker:RetentionMs", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(options.EnsureValid);
    }

    [Theory]
    [InlineData("127.0.0.1", null, "127.0.0.1")]
    [InlineData("0.0.0.0", null, "127.0.0.1")]
    [InlineData("::", null, "::1")]
    [InlineData("0.0.0.0", "broker.local", "broker.local")]
    public void EffectiveAdvertisedHost_WildcardListenAddress_AdvertisesReachableHost(string host, string? advertised, string expected)
    {
        Assert.Equal(expected, new DevBrokerOptions { Host = host, AdvertisedHost = advertised }.EffectiveAdvertisedHost);
    }
}
