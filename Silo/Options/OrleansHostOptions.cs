namespace InventoryOrleans.Silo.Options;

/// <summary>
/// The silo's Orleans identity and endpoints: section <c>Orleans</c> (Orleans itself also binds <c>ClusterId</c> and
/// <c>ServiceId</c> from it). Failure detection is tuned under <c>Orleans:Membership</c>
/// (<see cref="Orleans.Configuration.ClusterMembershipOptions"/>).
/// </summary>
public sealed class OrleansHostOptions
{
    public const string SectionName = "Orleans";

    /// <summary>The cluster this silo joins; silos and Api hosts of one deployment share it.</summary>
    public string ClusterId { get; set; } = "inventory";

    /// <summary>Stays the same across deployments: stored grain state and reminders are keyed by it.</summary>
    public string ServiceId { get; set; } = "inventory-orleans";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (Api hosts) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP address or host name (resolved at start) other silos and clients reach this silo at.</summary>
    public string AdvertisedIP { get; set; } = "127.0.0.1";
}
