namespace InventoryOrleans.Runtime;

/// <summary>Settings of the grain runtime; defaults follow Orleans. Validated at start.</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>An activation idle (no call) for this long is deactivated. Default 15 minutes.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default 1 minute; must not exceed <see cref="CollectionAge"/>.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A call that has not completed after this long fails with <see cref="TimeoutException"/>. Default 30 seconds.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <c>OnActivateAsync</c> (with the state load) may take before it is cancelled. Default 30 seconds.</summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// One call in this many is timed for the latency histograms (calls and errors are always counted exactly). A power of two;
    /// 1 times every call. Default 8: reading the clock twice costs about as much as the rest of a call's bookkeeping.
    /// </summary>
    public int LatencySampling { get; set; } = 8;

    /// <summary>How long <c>OnDeactivateAsync</c> may take before its token is cancelled. Default 30 seconds.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
