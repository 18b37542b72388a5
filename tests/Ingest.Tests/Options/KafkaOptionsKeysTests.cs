using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Tests.Options;

/// <summary>
/// Section <c>Kafka</c> as a host binds it (<see cref="KafkaServiceCollectionExtensions.AddKafkaOptions"/>): durations
/// as time spans, the older whole-millisecond keys still accepted, a conflict between the two refused.
/// </summary>
public sealed class KafkaOptionsKeysTests
{
    [Fact]
    public void Bind_TimeSpanKey_SetsTheDuration()
    {
        var options = Bind(new() { ["Kafka:PollTimeout"] = "00:00:00.250", ["Kafka:SessionTimeout"] = "00:00:06" });

        Assert.Equal(TimeSpan.FromMilliseconds(250), options.PollTimeout);
        Assert.Equal(TimeSpan.FromSeconds(6), options.SessionTimeout);
    }

    [Theory]
    [InlineData("BatchLingerMs", "1000", nameof(KafkaOptions.BatchLinger))]
    [InlineData("PollTimeoutMs", "250", nameof(KafkaOptions.PollTimeout))]
    [InlineData("FetchWaitMaxMs", "5", nameof(KafkaOptions.FetchWaitMax))]
    [InlineData("SessionTimeoutMs", "6000", nameof(KafkaOptions.SessionTimeout))]
    [InlineData("HeartbeatIntervalMs", "500", nameof(KafkaOptions.HeartbeatInterval))]
    [InlineData("MaxPollIntervalMs", "90000", nameof(KafkaOptions.MaxPollInterval))]
    [InlineData("ProducerLingerMs", "0", nameof(KafkaOptions.ProducerLinger))]
    [InlineData("RetryBackoffMaxMs", "200", nameof(KafkaOptions.RetryBackoffMax))]
    [InlineData("RetryBackoffInitialMs", "20", nameof(KafkaOptions.RetryBackoffInitial))]
    [InlineData("StartupTimeoutMs", "10000", nameof(KafkaOptions.StartupTimeout))]
    [InlineData("TransactionTimeoutMs", "20000", nameof(KafkaOptions.TransactionTimeout))]
    [InlineData("ProduceTimeoutMs", "1000", nameof(KafkaOptions.ProduceTimeout))]
    public void Bind_OlderMillisecondsKey_StillSetsTheDuration(string key, string milliseconds, string property)
    {
        var options = Bind(new() { [$"Kafka:{key}"] = milliseconds });

        var value = (TimeSpan)typeof(KafkaOptions).GetProperty(property)!.GetValue(options)!;
        Assert.Equal(TimeSpan.FromMilliseconds(int.Parse(milliseconds, System.Globalization.CultureInfo.InvariantCulture)), value);
    }

    [Fact]
    public void Bind_BothKeysAgreeing_Passes()
    {
        var options = Bind(new() { ["Kafka:PollTimeoutMs"] = "250", ["Kafka:PollTimeout"] = "00:00:00.250" });

        Assert.Equal(TimeSpan.FromMilliseconds(250), options.PollTimeout);
    }

    [Fact]
    public void Bind_BothKeysDisagreeing_FailsNamingTheKeyToRemove()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Kafka:PollTimeoutMs"] = "250", ["Kafka:PollTimeout"] = "00:00:00.300" }));

        Assert.Contains("remove Kafka__PollTimeoutMs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_OlderKeyNotWholeMilliseconds_FailsSayingTheNewForm()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Kafka:PollTimeoutMs"] = "0.5s" }));

        Assert.Contains("set Kafka__PollTimeout to a time span", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_OlderKeyOutOfRange_FailsSayingTheNewForm()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Kafka:SessionTimeoutMs"] = "6000", ["Kafka:HeartbeatIntervalMs"] = "3000" }));

        Assert.Contains("set Kafka__HeartbeatInterval", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddKafkaOptions_CalledByTwoHostParts_ReportsAFailureOnce()
    {
        var services = Services(new() { ["Kafka:PollTimeoutMs"] = "250", ["Kafka:PollTimeout"] = "00:00:00.300" });
        services.AddKafkaOptions();
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KafkaOptions>>().Value);

        Assert.Single(e.Failures, f => f.Contains("PollTimeoutMs", StringComparison.Ordinal));
    }

    private static KafkaOptions Bind(Dictionary<string, string?> settings)
    {
        using var provider = Services(settings).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<KafkaOptions>>().Value;
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Kafka:BootstrapServers", "127.0.0.1:9092");
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddKafkaOptions();
        return services;
    }
}
