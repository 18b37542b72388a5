namespace InventoryOrleans.Runtime;

/// <summary>Lifecycle of one activation; calls reach the grain only in <see cref="Valid"/>.</summary>
internal enum ActivationState
{
    /// <summary>Creating the grain, loading its state, running <c>OnActivateAsync</c>; calls queue.</summary>
    Activating,

    /// <summary>Serving calls one turn at a time.</summary>
    Valid,

    /// <summary>Running <c>OnDeactivateAsync</c>; calls queue and move to the next activation afterwards.</summary>
    Deactivating,

    /// <summary>Gone from the directory; a call that still finds it goes to a fresh activation.</summary>
    Invalid,
}
