using System.Diagnostics.Metrics;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.Grains.Interfaces;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Api.Tests.Watching;

/// <summary>The host's fan-out: each product's changes reach its subscribers only, and a subscription ends once.</summary>
public sealed class StockChangeHubTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public void Publish_ThreeSubscribersOfOneProductAndOneOfAnother_EachGetsOnlyItsProduct()
    {
        var hub = new StockChangeHub(_services.GetRequiredService<IMeterFactory>());
        var got = new List<string>();
        using var a1 = hub.Subscribe("a", s => got.Add($"1:{s.ProductId}:{s.Version}"));
        using var a2 = hub.Subscribe("a", s => got.Add($"2:{s.ProductId}:{s.Version}"));
        using var a3 = hub.Subscribe("a", s => got.Add($"3:{s.ProductId}:{s.Version}"));
        using var b = hub.Subscribe("b", s => got.Add($"b:{s.ProductId}:{s.Version}"));

        hub.Publish(Stock("a", 1));
        hub.Publish(Stock("c", 1));

        Assert.Equal(["1:a:1", "2:a:1", "3:a:1"], got);
        Assert.Equal(3, hub.SubscribersOf("a"));
        Assert.Equal(4, hub.Count);
    }

    [Fact]
    public void Dispose_SubscriptionEndedTwice_RemovedOnceAndTheProductForgottenWithItsLast()
    {
        var hub = new StockChangeHub(_services.GetRequiredService<IMeterFactory>());
        var got = 0;
        var first = hub.Subscribe("a", _ => got++);
        var second = hub.Subscribe("a", _ => got += 10);

        first.Dispose();
        first.Dispose();
        hub.Publish(Stock("a", 1));

        Assert.Equal(10, got);
        Assert.Equal(1, hub.SubscribersOf("a"));
        second.Dispose();
        Assert.Equal(0, hub.SubscribersOf("a"));
        Assert.Equal(0, hub.Count);
    }

    public void Dispose() => _services.Dispose();

    private static StockView Stock(string productId, long version) =>
        new(productId, version, 0, 0, version, version, $"e-{version}", DateTimeOffset.UnixEpoch, new Dictionary<string, long> { ["default"] = version });
}
