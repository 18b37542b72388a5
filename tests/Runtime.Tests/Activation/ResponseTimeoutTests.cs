using InventoryOrleans.Runtime.Tests.TestGrains;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Runtime.Tests.Activation;

/// <summary>A call that does not complete within the response timeout fails clearly.</summary>
public sealed class ResponseTimeoutTests
{
    [Fact]
    public async Task Call_LongerThanResponseTimeout_ThrowsTimeoutNamingGrainKeyMethodAndTimeout()
    {
        var time = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: time, configure: o => o.ResponseTimeout = TimeSpan.FromSeconds(30));

        var call = silo.Factory.GetGrain<IBlockingGrain>("slow").WaitForGateAsync();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains("BlockingGrain.WaitForGateAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains("'slow'", error.Message, StringComparison.Ordinal);
        Assert.Contains("00:00:30", error.Message, StringComparison.Ordinal);
        silo.Probe.Gate.SetResult();
    }
}
