using InventoryOrleans.DevBroker.CommandLine;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Tests.Executable;

public sealed class CommandLineOptionsTests
{
    [Fact]
    public void Parse_NoArguments_DefaultsToPort9092DataKafkaAndRegistryOn8081()
    {
        var parsed = CommandLineOptions.Parse([]);

        Assert.Null(parsed.Error);
        Assert.Equal(9092, parsed.Broker.Port);
        Assert.Equal(Path.Combine("data", "kafka"), parsed.Broker.DataDir);
        Assert.Equal(8081, parsed.Broker.SchemaRegistryPort);
    }

    [Theory]
    [InlineData(new[] { "--schema-registry-port", "0" }, 0)]
    [InlineData(new[] { "--schema-registry-port", "18081" }, 18081)]
    [InlineData(new[] { "--no-schema-registry" }, null)]
    public void Parse_SchemaRegistryOptions_SetOrTurnOffThePort(string[] args, int? expected)
    {
        var parsed = CommandLineOptions.Parse(args);

        Assert.Null(parsed.Error);
        Assert.Equal(expected, parsed.Broker.SchemaRegistryPort);
    }

    [Fact]
    public void Parse_EveryOption_LandsInTheBrokerOptions()
    {
        var parsed = CommandLineOptions.Parse(
        [
            "--port", "0", "--host", "0.0.0.0", "--advertised-host", "dev", "--in-memory", "--partitions", "12",
            "--no-auto-create", "--max-frame-bytes", "2048", "--fsync", "--retention-ms", "60000", "--log-level", "debug",
        ]);

        Assert.Null(parsed.Error);
        var broker = parsed.Broker;
        Assert.Equal((0, "0.0.0.0", "dev", (string?)null, 12), (broker.Port, broker.Host, broker.AdvertisedHost, broker.DataDir, broker.DefaultPartitions));
        Assert.False(broker.AutoCreateTopics);
        Assert.Equal((2048, FsyncPolicy.FsyncOnAcksAll, 60000L), (broker.MaxFrameBytes, broker.FsyncPolicy, broker.RetentionMs));
        Assert.Equal(LogLevel.Debug, parsed.LogLevel);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "x")]
    [InlineData("--port")]
    public void Parse_BadArguments_ErrorNamesTheOption(params string[] args)
    {
        var parsed = CommandLineOptions.Parse(args);

        Assert.NotNull(parsed.Error);
        Assert.Contains(args[0], parsed.Error, StringComparison.Ordinal);
    }
}
