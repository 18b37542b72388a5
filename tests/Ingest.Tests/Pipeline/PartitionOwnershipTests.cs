using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Pipeline;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>
/// <see cref="PartitionOwnership"/> remembers the partition a product was read from only where murmur2 would answer
/// otherwise, and only for partitions the silo still owns: memory follows the silo's partitions, not every product
/// it ever consumed.
/// </summary>
public sealed class PartitionOwnershipTests
{
    private const int Partitions = 12;

    [Fact]
    public void Forget_RevokedPartitions_NoProductOfThemRemembered()
    {
        var ownership = Owning(0, 1, 2, 3);
        var products = Enumerable.Range(0, 4_000).Select(i => $"sku-{i}").ToList();
        foreach (var productId in products)
        {
            // As a consistent_random producer would: anywhere but where murmur2 puts it.
            ownership.Observe(productId, Elsewhere(productId));
        }

        Assert.Equal(products.Count, ownership.Remembered);
        ownership.Remove([1, 2]);

        ownership.Forget(new HashSet<int> { 1, 2 });

        Assert.Equal(products.Count(p => Elsewhere(p) is not (1 or 2)), ownership.Remembered);
        foreach (var productId in products)
        {
            var expected = Elsewhere(productId) is 1 or 2 ? Murmur2Partitioner.Partition(productId, Partitions) : Elsewhere(productId);
            Assert.Equal(expected, ownership.PartitionOf(productId));
        }
    }

    [Fact]
    public void Observe_ProductsReadWhereMurmur2PutsThem_NothingRemembered()
    {
        var ownership = Owning(Enumerable.Range(0, Partitions).ToArray());

        for (var i = 0; i < 10_000; i++)
        {
            var productId = $"sku-{i}";
            ownership.Observe(productId, Murmur2Partitioner.Partition(productId, Partitions));
        }

        Assert.Equal(0, ownership.Remembered);
    }

    [Fact]
    public void Observe_ProductBackOnItsMurmur2Partition_ExceptionForgotten()
    {
        var ownership = Owning(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        ownership.Observe("sku-1", Elsewhere("sku-1"));
        Assert.Equal(Elsewhere("sku-1"), ownership.PartitionOf("sku-1"));

        ownership.Observe("sku-1", Murmur2Partitioner.Partition("sku-1", Partitions));

        Assert.Equal(0, ownership.Remembered);
        Assert.Equal(Murmur2Partitioner.Partition("sku-1", Partitions), ownership.PartitionOf("sku-1"));
    }

    [Fact]
    public void Clear_LoopStopped_OwnsAndRemembersNothing()
    {
        var ownership = Owning(0, 1);
        ownership.Observe("sku-1", Elsewhere("sku-1"));

        ownership.Clear();

        Assert.Empty(ownership.Owned);
        Assert.Equal(0, ownership.Remembered);
    }

    private static PartitionOwnership Owning(params int[] partitions)
    {
        var ownership = new PartitionOwnership();
        ownership.SetPartitionCount(Partitions);
        ownership.Add(partitions);
        return ownership;
    }

    // A partition other than the product's murmur2 one, fixed per product.
    private static int Elsewhere(string productId) => (Murmur2Partitioner.Partition(productId, Partitions) + 1 + (productId.Length % 5)) % Partitions;
}
