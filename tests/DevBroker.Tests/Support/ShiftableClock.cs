namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>The system clock, moved forward on demand (a day of delete.retention.ms passes at once); timers and timestamps
/// stay the system's, so the broker's fetch waits and loops keep running in real time.</summary>
internal sealed class ShiftableClock : TimeProvider
{
    private long _shiftTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Volatile.Read(ref _shiftTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);
}
