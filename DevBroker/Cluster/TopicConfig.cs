namespace InventoryOrleans.DevBroker.Cluster;

/// <summary>A topic's configuration as stored and reported: the entries set at creation, over broker defaults.</summary>
public sealed record TopicConfig(IReadOnlyDictionary<string, string> Entries)
{
    public const string CleanupPolicy = "cleanup.policy";
    public const string RetentionMs = "retention.ms";
    public const string RetentionBytes = "retention.bytes";

    /// <summary>Configs the broker understands; others are refused with INVALID_CONFIG.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        CleanupPolicy, RetentionMs, RetentionBytes, "segment.bytes", "max.message.bytes", "min.insync.replicas",
        "message.timestamp.type", "compression.type", "segment.ms", "min.compaction.lag.ms", "delete.retention.ms",
    };

    /// <summary>False for cleanup.policy=compact alone: Kafka never deletes such a log by time or size.</summary>
    public bool DeletesOldSegments =>
        !Entries.TryGetValue(CleanupPolicy, out var policy) || policy.Contains("delete", StringComparison.Ordinal);

    public long RetentionMsOr(long fallback) =>
        Entries.TryGetValue(RetentionMs, out var value) && long.TryParse(value, out var ms) ? ms : fallback;

    public long RetentionBytesOr(long fallback) =>
        Entries.TryGetValue(RetentionBytes, out var value) && long.TryParse(value, out var bytes) ? bytes : fallback;

    /// <summary>The reason a config entry is refused, or null when it is acceptable.</summary>
    public static string? Check(string name, string? value)
    {
        if (!Known.Contains(name))
        {
            return $"Unknown topic config '{name}'.";
        }

        return name switch
        {
            CleanupPolicy when value is not ("delete" or "compact" or "compact,delete" or "delete,compact") =>
                $"cleanup.policy must be delete, compact or both, not '{value}'.",
            RetentionMs or RetentionBytes when !long.TryParse(value, out var number) || number < -1 =>
                $"{name} must be -1 or a non-negative number, not '{value}'.",
            _ => null,
        };
    }
}
