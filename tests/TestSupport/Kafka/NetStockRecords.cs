using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Json;

namespace InventoryOrleans.TestSupport.Kafka;

/// <summary>
/// Net-stock records written straight to <c>inventory.net-stock</c>, as the pipeline writes them (JSON, key = productId):
/// for tests of what an Api host's live change tail does with many changes, which the pipeline could not be driven to
/// within a test.
/// </summary>
public static class NetStockRecords
{
    /// <summary>Versions 1 to <paramref name="perProduct"/> of each product, in order per product (products interleaved).</summary>
    public static void Publish(KafkaTestClient kafka, IReadOnlyList<string> products, int perProduct) =>
        Publish(kafka, products, 1, perProduct);

    /// <summary>Versions <paramref name="from"/> to <paramref name="to"/> of each product, in order per product.</summary>
    public static void Publish(KafkaTestClient kafka, IReadOnlyList<string> products, long from, long to)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(products);
        for (var version = from; version <= to; version++)
        {
            foreach (var productId in products)
            {
                kafka.Produce(Topics.NetStock, RecordSerializer.Key(productId), RecordSerializer.NetStock(Stock(productId, version)));
            }
        }

        kafka.Flush();
    }

    /// <summary>A stock of <paramref name="productId"/> at <paramref name="version"/>, with that many on hand.</summary>
    public static StockView Stock(string productId, long version) =>
        new(productId, version, 0, 0, version, version, $"e-{version}", DateTimeOffset.UtcNow, new Dictionary<string, long> { ["default"] = version });
}
