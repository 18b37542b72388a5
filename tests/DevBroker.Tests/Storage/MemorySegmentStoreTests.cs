using InventoryOrleans.DevBroker.Storage;

namespace InventoryOrleans.DevBroker.Tests.Storage;

public sealed class MemorySegmentStoreTests
{
    [Fact]
    public void AppendAndRead_AcrossChunkBoundaries_ReturnsTheSameBytes()
    {
        using var store = new MemorySegmentStore();
        var data = new byte[(3 * 1024 * 1024) + 777];
        new Random(3).NextBytes(data);

        store.Append(data.AsSpan(0, 1000));
        store.Append(data.AsSpan(1000, (1024 * 1024) - 10)); // ends just before the first boundary
        store.Append(data.AsSpan(1000 + (1024 * 1024) - 10));

        Assert.Equal(data.Length, store.Length);
        var copy = new byte[data.Length - 5];
        store.Read(5, copy);
        Assert.Equal(data.AsSpan(5).ToArray(), copy);

        store.Truncate(1024 * 1024);
        Assert.Equal(1024 * 1024, store.Length);
        store.Append([42]);
        var last = new byte[1];
        store.Read(1024 * 1024, last);
        Assert.Equal(42, last[0]);
    }
}
