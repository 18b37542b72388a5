namespace InventoryOrleans.Runtime.Tests.TestGrains;

/// <summary>Waits inside its turn for a second grain's call: only possible if different activations run in parallel.</summary>
public sealed class MeetingGrain(GrainProbe probe) : Grain, IMeetingGrain
{
    public async Task MeetAsync()
    {
        if (Interlocked.Increment(ref probe.Arrivals) == 2)
        {
            probe.BothArrived.TrySetResult();
        }

        await probe.BothArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
