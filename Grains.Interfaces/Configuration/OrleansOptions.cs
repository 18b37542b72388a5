namespace InventoryOrleans.Grains.Interfaces.Configuration;

/// <summary>
/// The Orleans identity and endpoints of every host: section <c>Orleans</c>, validated at start
/// (<see cref="OrleansOptionsServiceCollectionExtensions.AddOrleansOptions"/>). One type for the section: an Api host
/// reads only <see cref="ClusterId"/> and <see cref="ServiceId"/> (it must name the silos' cluster), a silo all of it, so
/// the identity's defaults live here once. Failure detection is tuned under <c>Orleans:Membership</c>
/// (Orleans' <c>ClusterMembershipOptions</c>, bound by the silo).
/// </summary>
public sealed class OrleansOptions
{
    public const string SectionName = "Orleans";

    /// <summary>The cluster this silo joins; silos and Api hosts of one deployment share it.</summary>
    public string ClusterId { get; set; } = "inventory";

    /// <summary>Stays the same across deployments: stored grain state and reminders are keyed by it.</summary>
    public string ServiceId { get; set; } = "inventory-orleans";

    /// <summary>Silo-to-silo port (a silo's).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (Api hosts) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP address or host name (resolved at start) other silos and clients reach this silo at.</summary>
    public string AdvertisedIP { get; set; } = "127.0.0.1";
}
