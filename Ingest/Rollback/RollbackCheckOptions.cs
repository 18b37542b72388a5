namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// Settings of the rollback check (configuration section <c>RollbackCheck</c>): how much of an input partition it
/// reads, for how long, how often it asks rolled-back products again, and how many it asks at once.
/// </summary>
public sealed class RollbackCheckOptions
{
    public const string SectionName = "RollbackCheck";

    /// <summary>
    /// Most messages of one topic-partition read by one check (default 1,000,000): a range that is longer (storage
    /// restored from a copy far behind) is checked over its newest messages, and the log line says so.
    /// </summary>
    public int MaxScanMessages { get; set; } = 1_000_000;

    /// <summary>How long one topic-partition's read may take before the check goes on with what it read (default 2 minutes).</summary>
    public TimeSpan ScanTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often products found rolled back are asked again, so a repaired one clears (default 10 s).</summary>
    public TimeSpan RecheckPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Product grains asked at once (default 32).</summary>
    public int MaxParallelProducts { get; set; } = 32;
}
