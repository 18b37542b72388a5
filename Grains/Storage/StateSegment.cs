namespace InventoryOrleans.Grains.Storage;

/// <summary>One immutable part of a segmented grain state (see <see cref="ISegmentedState"/>): written once, then only ever deleted.</summary>
/// <param name="Id">Orders the segments of one state; unique per state.</param>
/// <param name="Data">The segment as the state encoded it.</param>
public sealed record StateSegment(long Id, byte[] Data);
