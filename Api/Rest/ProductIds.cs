using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Api.Rest;

/// <summary>Checks the product ids of reads: 1 to 128 characters each, 1 to <see cref="MaxBatch"/> distinct per batch.</summary>
public static class ProductIds
{
    /// <summary>Most ids one batch read answers.</summary>
    public const int MaxBatch = 1_000;

    /// <summary>Why <paramref name="productId"/> is not a product id, or null when it is one.</summary>
    public static string? Check(string productId)
    {
        ArgumentNullException.ThrowIfNull(productId);
        return productId.Length is >= 1 and <= InventoryEvent.MaxIdLength
            ? null
            : $"a productId is 1 to {InventoryEvent.MaxIdLength} characters, not {productId.Length}";
    }

    /// <summary>
    /// The distinct non-empty ids in first-seen order, or why the batch is refused (none, more than
    /// <see cref="MaxBatch"/>, or an id over the length limit).
    /// </summary>
    public static (IReadOnlyList<string> Ids, string? Error) CheckBatch(IEnumerable<string?> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>();
        foreach (var id in raw)
        {
            if (string.IsNullOrEmpty(id) || !seen.Add(id))
            {
                continue;
            }

            if (Check(id) is { } error)
            {
                return ([], $"'{Truncate(id)}': {error}");
            }

            ids.Add(id);
            if (ids.Count > MaxBatch)
            {
                return ([], $"at most {MaxBatch} distinct product ids per request");
            }
        }

        return ids.Count == 0 ? ([], "at least one product id is needed") : (ids, null);
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
