namespace InventoryOrleans.DevBroker.Cluster;

/// <summary>A topic's configuration as stored and reported: the entries set at creation, over broker defaults.</summary>
public sealed record TopicConfig(IReadOnlyDictionary<string, string> Entries)
{
    public const string CleanupPolicy = "cleanup.policy";
    public const string RetentionMs = "retention.ms";
    public const string RetentionBytes = "retention.bytes";
    public const string SegmentBytes = "segment.bytes";
    public const string SegmentMs = "segment.ms";
    public const string DeleteRetentionMs = "delete.retention.ms";
    public const string MinCompactionLagMs = "min.compaction.lag.ms";

    /// <summary>Kafka's default delete.retention.ms: one day.</summary>
    public const long DefaultDeleteRetentionMs = 24 * 60 * 60 * 1000;

    /// <summary>The smallest segment.bytes accepted (as for the broker's SegmentBytes), so tests can roll small segments.</summary>
    public const int MinSegmentBytes = 1024;

    /// <summary>Configs the broker understands; others are refused with INVALID_CONFIG.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        CleanupPolicy, RetentionMs, RetentionBytes, SegmentBytes, "max.message.bytes", "min.insync.replicas",
        "message.timestamp.type", "compression.type", SegmentMs, MinCompactionLagMs, DeleteRetentionMs,
    };

    /// <summary>False for cleanup.policy=compact alone: Kafka never deletes such a log by time or size.</summary>
    public bool DeletesOldSegments =>
        !Entries.TryGetValue(CleanupPolicy, out var policy) || policy.Contains("delete", StringComparison.Ordinal);

    /// <summary>True for cleanup.policy=compact (alone or with delete): the log cleaner keeps each key's newest record.</summary>
    public bool Compacts =>
        Entries.TryGetValue(CleanupPolicy, out var policy) && policy.Contains("compact", StringComparison.Ordinal);

    public long RetentionMsOr(long fallback) =>
        Entries.TryGetValue(RetentionMs, out var value) && long.TryParse(value, out var ms) ? ms : fallback;

    public long RetentionBytesOr(long fallback) =>
        Entries.TryGetValue(RetentionBytes, out var value) && long.TryParse(value, out var bytes) ? bytes : fallback;

    public int SegmentBytesOr(int fallback) =>
        Entries.TryGetValue(SegmentBytes, out var value) && int.TryParse(value, out var bytes) ? bytes : fallback;

    /// <summary>segment.ms, or −1 when unset (segments then roll by size only).</summary>
    public long SegmentMsOrNone =>
        Entries.TryGetValue(SegmentMs, out var value) && long.TryParse(value, out var ms) ? ms : -1;

    public long DeleteRetentionMsOrDefault =>
        Entries.TryGetValue(DeleteRetentionMs, out var value) && long.TryParse(value, out var ms) ? ms : DefaultDeleteRetentionMs;

    public long MinCompactionLagMsOrDefault =>
        Entries.TryGetValue(MinCompactionLagMs, out var value) && long.TryParse(value, out var ms) ? ms : 0;

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
            SegmentBytes when !int.TryParse(value, out var bytes) || bytes < MinSegmentBytes =>
                $"segment.bytes must be a whole number of bytes from {MinSegmentBytes} to {int.MaxValue}, not '{value}'.",
            SegmentMs when !long.TryParse(value, out var ms) || ms < 1 =>
                $"segment.ms must be a positive number of milliseconds, not '{value}'.",
            DeleteRetentionMs or MinCompactionLagMs when !long.TryParse(value, out var ms) || ms < 0 =>
                $"{name} must be 0 or a positive number of milliseconds, not '{value}'.",
            _ => null,
        };
    }
}
