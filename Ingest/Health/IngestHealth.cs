namespace InventoryOrleans.Ingest.Health;

/// <summary>
/// What <c>/readyz</c> reports about the pipeline: broker, storage and (for Avro input) the schema registry reachable, partitions assigned, not paused by an
/// outage (or by publishing that fails), and while paused how many expiry releases wait. Written by the pipeline when a
/// state changes; read by the ingest's health checks (<see cref="IngestHealthChecks"/>).
/// </summary>
public sealed class IngestHealth
{
    private string? _brokerProblem;
    private string? _storageProblem;
    private string? _registryProblem;
    private string? _pausedBecause;
    private volatile bool _running;
    private int _assignedPartitions;
    private int _expiriesWaiting;

    public bool Running => _running;

    public string? BrokerProblem => Volatile.Read(ref _brokerProblem);

    public string? StorageProblem => Volatile.Read(ref _storageProblem);

    /// <summary>Why the schema registry (writer schemas of Avro input) cannot be reached; null when it can or is not needed.</summary>
    public string? RegistryProblem => Volatile.Read(ref _registryProblem);

    public string? PausedBecause => Volatile.Read(ref _pausedBecause);

    public int AssignedPartitions => Volatile.Read(ref _assignedPartitions);

    /// <summary>Products whose expiry release waits to be published while the pipeline is paused (0 when it runs).</summary>
    public int ExpiriesWaiting => Volatile.Read(ref _expiriesWaiting);

    public bool IsReady => _running && BrokerProblem is null && StorageProblem is null && RegistryProblem is null && PausedBecause is null && AssignedPartitions > 0;

    public void SetRunning(bool running) => _running = running;

    /// <summary>Sets the broker problem (null when reachable); returns whether the state changed.</summary>
    public bool SetBrokerProblem(string? problem) => Swap(ref _brokerProblem, problem);

    /// <summary>Sets the storage problem (null when reachable); returns whether the state changed.</summary>
    public bool SetStorageProblem(string? problem) => Swap(ref _storageProblem, problem);

    /// <summary>Sets the schema registry problem (null when reachable); returns whether the state changed.</summary>
    public bool SetRegistryProblem(string? problem) => Swap(ref _registryProblem, problem);

    /// <summary>Sets why consumption is paused (null when it runs); returns whether the state changed.</summary>
    public bool SetPaused(string? reason) => Swap(ref _pausedBecause, reason);

    public void SetAssignedPartitions(int count) => Volatile.Write(ref _assignedPartitions, count);

    public void SetExpiriesWaiting(int count) => Volatile.Write(ref _expiriesWaiting, count);

    private static bool Swap(ref string? field, string? value)
    {
        var previous = Interlocked.Exchange(ref field, value);
        return (previous is null) != (value is null);
    }
}
