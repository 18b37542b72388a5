using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class NamePoolTests
{
    [Fact]
    public void Intern_EqualNames_OneSharedCopy()
    {
        var first = NamePool.Intern(new string("name-pool-test-location"));
        var second = NamePool.Intern(new string("name-pool-test-location"));

        Assert.Same(first, second);
        Assert.Equal("name-pool-test-location", second);
        Assert.Null(NamePool.Intern(null));
    }

    [Fact]
    public void Intern_ValueLongerThanAName_KeptAsGiven()
    {
        var value = new string('x', 257);

        Assert.Same(value, NamePool.Intern(value));
        Assert.NotSame(value, NamePool.Intern(new string('x', 257)));
    }

    [Fact]
    public void OffsetKey_TopicAndPartition_OneSharedKeyPerTopicPartition()
    {
        var key = NamePool.OffsetKey(new string(Topics.Sales), 7);

        Assert.Equal($"{Topics.Sales}/7", key);
        Assert.Same(key, NamePool.OffsetKey(new string(Topics.Sales), 7));
        Assert.NotEqual(key, NamePool.OffsetKey(Topics.Sales, 8));
        Assert.NotEqual(key, NamePool.OffsetKey(Topics.Events, 7));
    }

    [Fact]
    public void ProductLedger_SameLocationInTwoProducts_KeysShareOneCopy()
    {
        var a = TestEvents.NewLedger();
        var b = TestEvents.NewLedger();

        a.Apply(TestEvents.Receipt("np-e1", 5, location: new string("np-store")), null, TestEvents.T0);
        b.Apply(TestEvents.Receipt("np-e2", 5, location: new string("np-store")), null, TestEvents.T0);

        Assert.Same(a.State.OnHand.Keys.Single(), b.State.OnHand.Keys.Single());
    }
}
