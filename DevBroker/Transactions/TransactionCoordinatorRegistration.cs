using InventoryOrleans.DevBroker.Groups;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>Creates the broker's transaction coordinator from its options and registers it as a component (after the
/// group coordinator, which it completes transactions' offsets in).</summary>
public static class TransactionCoordinatorRegistration
{
    /// <summary>Name of the folder under the data directory that holds the transaction state log.</summary>
    public const string StateFolder = "__transaction_state";

    public static void AddTransactionCoordinator(this BrokerServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.Options;
        var coordinator = new TransactionCoordinator(
            new TransactionCoordinatorOptions
            {
                MaxTimeout = options.TransactionMaxTimeout,
                CheckInterval = options.TransactionCheckInterval,
                StateDirectory = options.DataDir is null ? null : Path.Combine(options.DataDir, StateFolder),
                Fsync = options.FsyncPolicy == FsyncPolicy.FsyncOnAcksAll,
            },
            services.Cluster,
            services.Get<GroupCoordinator>(),
            services.Time,
            services.LoggerFactory.CreateLogger<TransactionCoordinator>());
        coordinator.Start();
        services.Add(coordinator);
    }
}
