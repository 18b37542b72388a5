using InventoryOrleans.Grains.Interfaces.Kafka;

namespace InventoryOrleans.Ingest.Tests.Options;

public sealed class KafkaOptionsValidatorTests
{
    private static readonly KafkaOptionsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_WithBootstrapServers_Succeed()
    {
        Assert.True(Validator.Validate(null, new KafkaOptions { BootstrapServers = "127.0.0.1:9092" }).Succeeded);
    }

    [Theory]
    [InlineData(null, "Kafka__BootstrapServers")]
    [InlineData("localhost", "host:port")]
    [InlineData("localhost:99999", "host:port")]
    public void Validate_BadBootstrapServers_SaysHowToFix(string? servers, string hint)
    {
        var result = Validator.Validate(null, new KafkaOptions { BootstrapServers = servers });

        Assert.True(result.Failed);
        Assert.Contains(hint, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonPositivePartitionsAndEmptyGroup_ReportsBoth()
    {
        var result = Validator.Validate(null, new KafkaOptions { BootstrapServers = "h:1", Partitions = 0, GroupId = " " });

        Assert.Contains("Kafka__Partitions", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Kafka__GroupId", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HeartbeatTooCloseToSessionTimeout_Fails()
    {
        var result = Validator.Validate(null, new KafkaOptions { BootstrapServers = "h:1", SessionTimeout = TimeSpan.FromSeconds(6), HeartbeatInterval = TimeSpan.FromSeconds(3) });

        Assert.Contains("Kafka__HeartbeatInterval", result.FailureMessage, StringComparison.Ordinal);
    }
}
