using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Transactions;

namespace InventoryOrleans.DevBroker;

/// <summary>The one place that creates the broker's components beyond the cluster state (the group coordinator, then the
/// transaction coordinator that uses it).
/// Components that implement <see cref="IAsyncDisposable"/> are disposed, in reverse order, when the broker stops.</summary>
public static class BrokerComponents
{
    public static void Register(BrokerServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGroupCoordinator();
        services.AddTransactionCoordinator();
    }
}
