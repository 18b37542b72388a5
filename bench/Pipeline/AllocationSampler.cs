using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// Which types the process allocates, from the runtime's own allocation sampling (the GC's AllocationTick event, one per
/// ~100 KB allocated, naming the type whose allocation crossed the mark): a statistical split of "allocated per event"
/// by type, without a profiler. On with <c>BENCH_ALLOCATIONS=1</c>; it costs little, but it is off by default so the
/// figures a run prints are not taken with a listener attached.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private volatile bool _sampling;

    public static AllocationSampler? StartIfAsked() =>
        Environment.GetEnvironmentVariable("BENCH_ALLOCATIONS") is "1" ? new AllocationSampler() : null;

    public void Begin()
    {
        _bytes.Clear();
        _sampling = true;
    }

    /// <summary>The top types by sampled bytes, as lines "share type".</summary>
    public IEnumerable<string> End(int top)
    {
        _sampling = false;
        var total = _bytes.Values.Sum();
        if (total == 0)
        {
            yield break;
        }

        foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(top))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{bytes * 100.0 / total,5:N1} %  {type}");
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_sampling || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var type = "?";
        long amount = 0;
        for (var i = 0; i < eventData.PayloadNames.Count; i++)
        {
            switch (eventData.PayloadNames[i])
            {
                case "TypeName":
                    type = eventData.Payload![i] as string ?? "?";
                    break;
                case "AllocationAmount64":
                    amount = Convert.ToInt64(eventData.Payload![i], CultureInfo.InvariantCulture);
                    break;
            }
        }

        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
