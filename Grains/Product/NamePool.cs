using System.Collections.Concurrent;
using System.Globalization;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// One shared copy of the names that repeat in every product's state: input topics, their <c>"topic/partition"</c>
/// watermark keys and stock locations. Every window entry and watermark holds one of a handful of names, but each
/// decoded or deserialized entry brought its own copy: a heap dump of the soak (10,000 products, 480,000 events) found
/// 505,000 copies of the three topic names and 380,000 of the locations, 40 MB of the live heap and growing with
/// every decision. Bounded, because locations come from producers: past <see cref="Capacity"/> names a value is kept
/// as given (correct, just not shared).
/// </summary>
internal static class NamePool
{
    /// <summary>The most names pooled; far above the topics × partitions and locations of a retailer.</summary>
    public const int Capacity = 65_536;

    // Longer values are no names; they are kept as given.
    private const int MaxLength = 256;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string Topic, int Partition), string> OffsetKeys = new();
    private static int _count;

    /// <summary>The pooled copy of <paramref name="value"/> (pooling it when there is room), or the value itself.</summary>
    public static string? Intern(string? value)
    {
        if (value is null || value.Length > MaxLength)
        {
            return value;
        }

        if (Names.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        if (Volatile.Read(ref _count) >= Capacity)
        {
            return value;
        }

        pooled = Names.GetOrAdd(value, value);
        if (ReferenceEquals(pooled, value))
        {
            Interlocked.Increment(ref _count);
        }

        return pooled;
    }

    /// <summary>The watermark key <c>"topic/partition"</c>, one shared string per topic-partition.</summary>
    public static string OffsetKey(string topic, int partition)
    {
        if (OffsetKeys.TryGetValue((topic, partition), out var key))
        {
            return key;
        }

        key = string.Create(CultureInfo.InvariantCulture, $"{topic}/{partition}");
        return Volatile.Read(ref _count) >= Capacity || topic.Length > MaxLength
            ? key
            : OffsetKeys.GetOrAdd((Intern(topic)!, partition), Intern(key)!);
    }
}
