using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Groups;

/// <summary>Creates the broker's group coordinator from its options and registers it as a component.</summary>
public static class GroupCoordinatorRegistration
{
    /// <summary>Name of the folder under the data directory that holds the committed-offsets log.</summary>
    public const string OffsetsFolder = "__consumer_offsets";

    public static void AddGroupCoordinator(this BrokerServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.Options;
        var coordinator = new GroupCoordinator(
            new GroupCoordinatorOptions
            {
                MinSessionTimeout = TimeSpan.FromMilliseconds(options.GroupMinSessionTimeoutMs),
                MaxSessionTimeout = TimeSpan.FromMilliseconds(options.GroupMaxSessionTimeoutMs),
                InitialRebalanceDelay = TimeSpan.FromMilliseconds(options.GroupInitialRebalanceDelayMs),
                OffsetsDirectory = options.DataDir is null ? null : Path.Combine(options.DataDir, OffsetsFolder),
                FsyncOnCommit = options.FsyncPolicy == FsyncPolicy.FsyncOnAcksAll,
            },
            services.Time,
            services.LoggerFactory.CreateLogger<GroupCoordinator>());
        coordinator.Start();
        services.Add(coordinator);
    }
}
