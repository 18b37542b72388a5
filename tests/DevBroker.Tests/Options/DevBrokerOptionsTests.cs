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
    [InlineData(-1, "use 0 (pick a free port) or 1-65535")]
    [InlineData(65536, "use 0 (pick a free port) or 1-65535")]
    [InlineData(9092, "needs a port of its own")]
    public void Validate_BadSchemaRegistryPort_SaysHowToFixIt(int port, string advice)
    {
        var problem = Assert.Single(new DevBrokerOptions { SchemaRegistryPort = port }.Validate());

        Assert.Contains("DevBroker:SchemaRegistryPort", problem, StringComparison.Ordinal);
        Assert.Contains(advice, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(8081)]
    public void Validate_SchemaRegistryPortOffFreeOrSet_NoProblems(int? port)
    {
        Assert.Empty(new DevBrokerOptions { SchemaRegistryPort = port }.Validate());
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
