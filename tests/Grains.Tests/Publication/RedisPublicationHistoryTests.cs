using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Publication;
using InventoryOrleans.Grains.Tests.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace InventoryOrleans.Grains.Tests.Publication;

/// <summary>The publication history in a real redis-server: epochs only grow, ended epochs' final attempts never change.</summary>
public sealed class RedisPublicationHistoryTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private RedisPublicationHistory History(string serviceId = "history-tests") => new(
        ConfigurationOptions.Parse(redis.Server.ConnectionString),
        Options.Create(new ClusterOptions { ServiceId = serviceId }));

    [Fact]
    public async Task BeginEpochAsync_EachCall_OpensAnEpochAboveEveryEarlierOneAndAboveTheEndedOne()
    {
        using var history = History();

        var first = await history.BeginEpochAsync(1, PublicationMark.None);
        var second = await history.BeginEpochAsync(1, new PublicationMark(first, 3));
        var afterKafka = await history.BeginEpochAsync(1, new PublicationMark(40, 2));
        var otherPartition = await history.BeginEpochAsync(2, PublicationMark.None);

        Assert.Equal(1, first);
        Assert.Equal(2, second);
        Assert.Equal(41, afterKafka);
        Assert.Equal(1, otherPartition);
    }

    [Fact]
    public async Task CommittedInAsync_EndedEpochs_TheirFinalAttemptFromAnySilo_ZeroWhenNoneCommitted()
    {
        using var recorder = History("history-final");
        using var reader = History("history-final");
        await recorder.BeginEpochAsync(5, PublicationMark.None);
        await recorder.BeginEpochAsync(5, new PublicationMark(1, 9));

        // A second owner that learns the same end from Kafka records nothing new; a different value cannot replace it.
        await recorder.BeginEpochAsync(5, new PublicationMark(1, 4));

        Assert.Equal(9, await reader.CommittedInAsync(5, 1));
        Assert.Equal(0, await reader.CommittedInAsync(5, 2));
        Assert.Equal(0, await reader.CommittedInAsync(6, 1));
    }

    [Fact]
    public async Task BeginEpochAsync_RedisUnreachable_Throws()
    {
        using var history = new RedisPublicationHistory(
            ConfigurationOptions.Parse($"127.0.0.1:{TestSupport.FreePort.Next()},abortConnect=false,connectTimeout=500,syncTimeout=1000"),
            Options.Create(new ClusterOptions { ServiceId = "history-down" }));

        await Assert.ThrowsAnyAsync<RedisException>(() => history.BeginEpochAsync(1, PublicationMark.None));
    }
}
