namespace InventoryOrleans.Silo.Options;

/// <summary>The Redis the silo keeps Orleans membership, grain state, reminders and stream pub-sub state in: section <c>Redis</c>.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis connection string; unset means the silo starts the embedded Garnet server.</summary>
    public string? ConnectionString { get; set; }
}
