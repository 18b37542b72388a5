extern alias server;

using server::InventoryOrleans.Api.Watching;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Api.Grpc.Tests.Support;

/// <summary>What an Api host's hub holds for a product: the subscriptions its open watches have on the host's net-stock tail.</summary>
public static class StockSubscriptions
{
    public static int Count(IServiceProvider host, string productId)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.GetRequiredService<StockChangeHub>().SubscribersOf(productId);
    }
}
