using System.Text.Json;
using StackExchange.Redis;

namespace InventoryOrleans.Grains.Storage;

/// <summary>Settings of a <see cref="SegmentedRedisGrainStorage"/> provider.</summary>
public sealed class SegmentedRedisStorageOptions
{
    /// <summary>The Redis server (StackExchange.Redis configuration). One server, not Redis Cluster: a write's script spans many keys.</summary>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>How grain state is turned into JSON; web defaults (camelCase) unless set.</summary>
    public JsonSerializerOptions JsonOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>Keys written by one script call at most (writes that arrive while others are on the wire share a call).</summary>
    public int MaxKeysPerCall { get; set; } = 128;

    /// <summary>State bytes per script call at most.</summary>
    public int MaxBytesPerCall { get; set; } = 1 << 20;

    /// <summary>Script calls on the wire at once; a write that finds a free slot goes out at once.</summary>
    public int MaxCallsInFlight { get; set; } = 4;

    /// <summary>
    /// A command sent after each write (and clear) before it counts as done, whose answer comes only once everything
    /// written before it is durable: <c>COMMITAOF</c> for Garnet, which answers writes before its append-only file
    /// has them. Null for a server that answers a write only once durable (Redis with <c>appendfsync always</c>).
    /// </summary>
    public string? DurabilityCommand { get; set; }
}
