namespace InventoryOrleans.DevBroker.Groups;

/// <summary>Settings of the group coordinator; the defaults suit development and tests.</summary>
public sealed class GroupCoordinatorOptions
{
    /// <summary>
    /// How long a new group's first rebalance waits for more members before answering (Kafka's
    /// group.initial.rebalance.delay.ms, 3 s there). Short here so tests are fast, long enough that consumers
    /// started together land in one generation.
    /// </summary>
    public TimeSpan InitialRebalanceDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Smallest session timeout a member may ask for (Kafka: group.min.session.timeout.ms, 6 s there).</summary>
    public TimeSpan MinSessionTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest session timeout a member may ask for (Kafka: group.max.session.timeout.ms).</summary>
    public TimeSpan MaxSessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often session timeouts, rebalance timeouts and the initial delay are checked.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Folder of the committed-offsets log; null keeps everything in memory.</summary>
    public string? OffsetsDirectory { get; set; }

    /// <summary>Also fsync the offsets log on every commit (it is always flushed to the OS).</summary>
    public bool FsyncOnCommit { get; set; }

    /// <summary>Longest commit metadata string accepted (Kafka: offset.metadata.max.bytes).</summary>
    public int MaxOffsetMetadataLength { get; set; } = 4096;

    /// <summary>The offsets log is rewritten from the live state once it holds this many records more than that state.</summary>
    public int CompactAfterRecords { get; set; } = 10_000;

    /// <summary>Throws with a message that says how to fix the setting.</summary>
    public void Validate()
    {
        if (InitialRebalanceDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"InitialRebalanceDelay is {InitialRebalanceDelay}; set it to zero or more (e.g. 200 ms).");
        }

        if (MinSessionTimeout <= TimeSpan.Zero || MaxSessionTimeout < MinSessionTimeout)
        {
            throw new ArgumentException($"Session timeouts {MinSessionTimeout}..{MaxSessionTimeout} are invalid; MinSessionTimeout must be positive and at most MaxSessionTimeout.");
        }

        if (CheckInterval <= TimeSpan.Zero || CheckInterval > TimeSpan.FromSeconds(5))
        {
            throw new ArgumentException($"CheckInterval is {CheckInterval}; set it between 1 ms and 5 s (e.g. 100 ms).");
        }

        if (MaxOffsetMetadataLength < 0 || CompactAfterRecords < 1)
        {
            throw new ArgumentException("MaxOffsetMetadataLength must be zero or more and CompactAfterRecords at least 1.");
        }
    }
}
