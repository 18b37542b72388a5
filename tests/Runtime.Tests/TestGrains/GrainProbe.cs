using System.Collections.Concurrent;

namespace InventoryOrleans.Runtime.Tests.TestGrains;

/// <summary>What test grains report about themselves: activations, deactivations (with reason), overlapping turns, failures to inject.</summary>
public sealed class GrainProbe
{
    private int _activations;
    private int _overlaps;
    private int _failNextActivations;

    public int Activations => Volatile.Read(ref _activations);

    public int Overlaps => Volatile.Read(ref _overlaps);

    public ConcurrentQueue<(string Key, DeactivationReason Reason)> Deactivations { get; } = new();

    /// <summary>Calls of <see cref="IBlockingGrain"/> wait on this until the test releases it.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when an <see cref="IBlockingGrain"/> call is inside its turn.</summary>
    public TaskCompletionSource GateEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when two <see cref="IMeetingGrain"/> calls have arrived.</summary>
    public TaskCompletionSource BothArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Arrivals;

    public void FailNextActivations(int count) => Volatile.Write(ref _failNextActivations, count);

    internal void OnActivated()
    {
        if (Interlocked.Decrement(ref _failNextActivations) >= 0)
        {
            throw new InvalidOperationException("injected activation failure");
        }

        Interlocked.Increment(ref _activations);
    }

    internal void OnOverlap() => Interlocked.Increment(ref _overlaps);

    /// <summary>Most instances of one key alive at the same time (must stay 1).</summary>
    public int MaxLiveInstances => Volatile.Read(ref _maxLive);

    private readonly ConcurrentDictionary<string, int> _live = new();
    private int _maxLive;

    internal void OnInstanceStarted(string key)
    {
        var live = _live.AddOrUpdate(key, 1, (_, n) => n + 1);
        int seen;
        while (live > (seen = Volatile.Read(ref _maxLive)) && Interlocked.CompareExchange(ref _maxLive, live, seen) != seen)
        {
        }
    }

    internal void OnInstanceStopped(string key) => _live.AddOrUpdate(key, 0, (_, n) => n - 1);

    public bool WasDeactivated(string key, DeactivationReason reason) => Deactivations.Contains((key, reason));
}
