using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Tests.Options;

/// <summary>
/// <c>Api:OutcomeTimeout</c> as a time span, the contract's <c>Api__OutcomeTimeoutMs</c> still accepted with its
/// 1–60000 range, and the API reading the one <c>Kafka</c> section the ingest reads.
/// </summary>
[Collection(ApiClusterCollection.Name)]
public sealed class ApiOptionsTests(ApiCluster cluster)
{
    [Theory]
    [InlineData("Api:OutcomeTimeout", "00:00:02.500")]
    [InlineData("Api:OutcomeTimeoutMs", "2500")]
    public async Task Start_OutcomeTimeoutInEitherKey_WaitsThatLong(string key, string value)
    {
        await using var host = await cluster.StartHostAsync(cluster.Settings((key, value)));

        Assert.Equal(TimeSpan.FromMilliseconds(2_500), host.Services.GetRequiredService<IOptions<ApiOptions>>().Value.OutcomeTimeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("60001")]
    public async Task Start_OutcomeTimeoutMsOutOfRange_RefusesWithTheContractsRange(string milliseconds)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartHostAsync(cluster.Settings(("Api:OutcomeTimeoutMs", milliseconds))));

        Assert.Contains("Api__OutcomeTimeoutMs to 1-60000 milliseconds", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Api__OutcomeTimeout to 00:00:00.001-00:01:00", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OutcomeTimeoutKeysDisagreeing_RefusesNamingTheOlderKey()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartHostAsync(cluster.Settings(("Api:OutcomeTimeoutMs", "3000"), ("Api:OutcomeTimeout", "00:00:04"))));

        Assert.Contains("remove Api__OutcomeTimeoutMs", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Kafka:ProduceTimeout", "00:00:01")]
    [InlineData("Kafka:ProduceTimeoutMs", "1000")]
    public async Task Start_ProduceTimeoutInEitherKey_ReachesTheProducersOptions(string key, string value)
    {
        await using var host = await cluster.StartHostAsync(cluster.Settings((key, value)));

        Assert.Equal(TimeSpan.FromSeconds(1), host.Services.GetRequiredService<IOptions<KafkaOptions>>().Value.ProduceTimeout);
    }

    [Fact]
    public async Task Start_ProduceTimeoutOutOfRange_RefusesSayingTheNewForm()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartHostAsync(cluster.Settings(("Kafka:ProduceTimeoutMs", "999"))));

        Assert.Contains("set Kafka__ProduceTimeout between 00:00:01 and 00:05:00", refused.Message, StringComparison.Ordinal);
    }
}
