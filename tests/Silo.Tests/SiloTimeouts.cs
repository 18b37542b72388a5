namespace InventoryOrleans.Silo.Tests;

/// <summary>Deadlines of the black-box tests: generous for a loaded two-core machine, never a bound the product promises.</summary>
public static class SiloTimeouts
{
    /// <summary>Process start until <c>/readyz</c> answers 200.</summary>
    public static readonly TimeSpan Start = TimeSpan.FromSeconds(90);

    /// <summary>SIGTERM until the process exited.</summary>
    public static readonly TimeSpan Stop = TimeSpan.FromSeconds(60);

    /// <summary>A record, an outcome or a stock change that is on its way.</summary>
    public static readonly TimeSpan Arrival = TimeSpan.FromSeconds(60);

    /// <summary>A stream of events until its last offset is committed.</summary>
    public static readonly TimeSpan Drain = TimeSpan.FromMinutes(2);
}
