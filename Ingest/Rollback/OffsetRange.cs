using System.Globalization;

namespace InventoryOrleans.Ingest.Rollback;

/// <summary>Offsets <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive) of one topic-partition.</summary>
public readonly record struct OffsetRange(long From, long To)
{
    public bool IsEmpty => To <= From;

    /// <summary>The smallest range holding both.</summary>
    public OffsetRange Union(OffsetRange other) => IsEmpty ? other : other.IsEmpty ? this : new(Math.Min(From, other.From), Math.Max(To, other.To));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{From}, {To})");

    /// <summary>As stored in Redis: <c>from:to</c>.</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{From}:{To}");

    public static OffsetRange? Parse(string? stored)
    {
        var at = stored?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return at > 0
            && long.TryParse(stored.AsSpan(0, at), NumberStyles.Integer, CultureInfo.InvariantCulture, out var from)
            && long.TryParse(stored.AsSpan(at + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var to)
            ? new OffsetRange(from, to)
            : null;
    }
}
