namespace InventoryOrleans.Silo.Options;

/// <summary>The Redis the silo keeps Orleans membership, grain state, reminders and stream pub-sub state in: section <c>Redis</c>.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis connection string; unset means the silo starts the embedded Garnet server.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// A command the product storage sends after each write, whose answer comes once everything written before is
    /// durable (a Redis that answers writes before they are durable). Unset for Redis with <c>appendfsync always</c>;
    /// <c>COMMITAOF</c> for a Garnet (the embedded one sets it itself).
    /// </summary>
    public string? DurabilityCommand { get; set; }
}
