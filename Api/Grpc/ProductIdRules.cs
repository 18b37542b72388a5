using Google.Protobuf.Collections;
using Grpc.Core;
using GrainEvent = InventoryOrleans.Grains.Interfaces.InventoryEvent;

namespace InventoryOrleans.Api.Grpc;

/// <summary>
/// The productId rules of the read and watch calls, as REST applies them: an id is 1 to 128 characters, a list names
/// 1 to 1,000 distinct products (a repeated id is answered once). Breaking one is INVALID_ARGUMENT.
/// </summary>
public static class ProductIdRules
{
    /// <summary>Most products one GetStocks or WatchStock call may name.</summary>
    public const int MaxProducts = 1_000;

    /// <summary>The id itself, or INVALID_ARGUMENT for an empty one or one over 128 characters.</summary>
    public static string Check(string productId, string field = "product_id")
    {
        ArgumentNullException.ThrowIfNull(productId);
        if (productId.Length is < 1 or > GrainEvent.MaxIdLength)
        {
            throw InvalidArgument($"{field}: a productId must be 1 to {GrainEvent.MaxIdLength} characters, not {productId.Length}");
        }

        return productId;
    }

    /// <summary>
    /// The distinct ids in request order. <paramref name="ignoreEmpty"/>: empty entries are skipped (GetStocks, like
    /// REST's <c>ids=a,,b</c>) instead of refused (WatchStock).
    /// </summary>
    public static IReadOnlyList<string> CheckList(RepeatedField<string> productIds, bool ignoreEmpty)
    {
        ArgumentNullException.ThrowIfNull(productIds);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<string>(Math.Min(productIds.Count, MaxProducts));
        foreach (var id in productIds)
        {
            if (id.Length == 0 && ignoreEmpty)
            {
                continue;
            }

            Check(id, "product_ids");
            if (!seen.Add(id))
            {
                continue;
            }

            if (distinct.Count == MaxProducts)
            {
                throw InvalidArgument($"product_ids: at most {MaxProducts} products per call");
            }

            distinct.Add(id);
        }

        return distinct.Count > 0 ? distinct : throw InvalidArgument("product_ids: name at least one product");
    }

    private static RpcException InvalidArgument(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
