using InventoryOrleans.Grains.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Streams.Core;

namespace InventoryOrleans.Api.Grpc.Tests.Support;

/// <summary>
/// What Orleans' stream pub-sub holds for a product's stock stream: the subscriptions its rendezvous grain has
/// registered (persisted in the pub-sub store), asked through Orleans' subscription manager — not a count the Api keeps.
/// </summary>
public static class StockSubscriptions
{
    public static async Task<int> CountAsync(IClusterClient orleans, string productId)
    {
        ArgumentNullException.ThrowIfNull(orleans);
        var manager = orleans.ServiceProvider.GetRequiredService<IStreamSubscriptionManagerAdmin>()
            .GetStreamSubscriptionManager(StreamSubscriptionManagerType.ExplicitSubscribeOnly);
        var subscriptions = await manager.GetSubscriptions(StockStreams.ProviderName, StockStreams.Of(productId));
        return subscriptions.Count();
    }
}
