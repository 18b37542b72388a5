using System.Collections.Concurrent;
using System.Text.Json;

namespace InventoryOrleans.Api.Alerts;

/// <summary>
/// The products whose latest alert on <c>inventory.alerts</c> is <c>Low</c>, folded from the topic's records. Only
/// low products are kept: a <c>Recovered</c> alert forgets its product, so the book holds the products that are low
/// now, never every product that ever was. A record older than the entry held (by version) changes nothing. One
/// thread takes records; any thread reads.
/// </summary>
/// <remarks>
/// Forgetting a recovered product also forgets its version, so a <c>Low</c> older than that <c>Recovered</c> arriving
/// later would list it again (until its next alert). A <c>read_committed</c> reader of the silos' transactions never
/// sees that: a product's alerts are on one partition with strictly rising versions. Only a silo that lost its
/// partitions while running with <c>Kafka__Transactions=false</c> could write such a record.
/// </remarks>
public sealed class LowStockBook
{
    private readonly ConcurrentDictionary<string, LowStockEntry> _low = new(StringComparer.Ordinal);

    /// <summary>Products held (those low now).</summary>
    public int Count => _low.Count;

    /// <summary>The products that are low, by productId.</summary>
    public IReadOnlyList<LowStockEntry> Low => [.. _low.Values.OrderBy(e => e.ProductId, StringComparer.Ordinal)];

    /// <summary>Takes one alert record (the JSON of <c>inventory.alerts</c>).</summary>
    /// <exception cref="JsonException">The record is not an alert's JSON.</exception>
    /// <exception cref="KeyNotFoundException">A field of the alert is missing.</exception>
    /// <exception cref="InvalidOperationException">A field of the alert has the wrong type.</exception>
    public void Take(ReadOnlyMemory<byte> record)
    {
        using var document = JsonDocument.Parse(record);
        var alert = document.RootElement;
        var productId = alert.GetProperty("productId").GetString()!;
        var version = alert.GetProperty("version").GetInt64();
        var known = _low.TryGetValue(productId, out var held);
        if (known && held!.Version > version)
        {
            return;
        }

        if (alert.GetProperty("state").GetString() == "Low")
        {
            _low[productId] = new LowStockEntry(productId, alert.GetProperty("available").GetInt64(), alert.GetProperty("threshold").GetInt64(), version, alert.GetProperty("at").GetString()!);
        }
        else if (known)
        {
            _low.TryRemove(productId, out _);
        }
    }
}
