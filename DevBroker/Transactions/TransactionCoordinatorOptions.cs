namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>Settings of the transaction coordinator; the defaults are Kafka's where Kafka has one.</summary>
public sealed class TransactionCoordinatorOptions
{
    /// <summary>Longest transaction.timeout.ms a producer may ask for (Kafka: transaction.max.timeout.ms, 15 min).</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often transactions past their timeout are aborted and interrupted completions retried (Kafka:
    /// transaction.abort.timed.out.transaction.cleanup.interval.ms, 10 s there).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Folder of the transaction state log; null keeps everything in memory.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Also fsync the state log on every change (it is always flushed to the OS).</summary>
    public bool Fsync { get; set; }

    /// <summary>The state log is rewritten from the live state once it holds this many records more than that state.</summary>
    public int CompactAfterRecords { get; set; } = 10_000;

    /// <summary>Throws with a message that says how to fix the setting.</summary>
    public void Validate()
    {
        if (MaxTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxTimeout is {MaxTimeout}; set it to a positive time span (Kafka's default is 15 minutes).");
        }

        if (CheckInterval <= TimeSpan.Zero || CheckInterval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"CheckInterval is {CheckInterval}; set it between 1 ms and 1 minute (e.g. 1 s).");
        }

        if (CompactAfterRecords < 1)
        {
            throw new ArgumentException($"CompactAfterRecords is {CompactAfterRecords}; set it to at least 1.");
        }
    }
}
