using StackExchange.Redis;

namespace InventoryOrleans.Grains.Interfaces.Configuration;

/// <summary>
/// The Redis the silos keep Orleans membership, grain state, reminders and stream pub-sub state in: section
/// <c>Redis</c>, validated at start (<see cref="RedisOptionsValidator"/>). A silo and an Api host (which finds the
/// cluster through it) bind this one type; only a silo reads <see cref="DurabilityCommand"/>.
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>
    /// A StackExchange.Redis connection string; unset means the silo starts the embedded Garnet server (an Api host
    /// needs it set).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// A command the product storage sends after each write, whose answer comes once everything written before is
    /// durable (a Redis that answers writes before they are durable). Unset for Redis with <c>appendfsync always</c>;
    /// <c>COMMITAOF</c> for a Garnet (the embedded one sets it itself).
    /// </summary>
    public string? DurabilityCommand { get; set; }

    /// <summary>
    /// The client settings of <see cref="ConnectionString"/> (validated first): an outage shows up as failing calls,
    /// which the ingest and Orleans retry, not as a host that cannot start.
    /// </summary>
    public ConfigurationOptions ToConfigurationOptions()
    {
        var redis = ConfigurationOptions.Parse(ConnectionString ?? "");
        redis.AbortOnConnectFail = false;
        return redis;
    }
}
