using InventoryOrleans.Grains.Watching;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Grains.Tests.Watching;

public sealed class WatchLeasesTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Until_LeaseExtended_ItsEndUntilItPasses()
    {
        var leases = new WatchLeases(_time);
        var end = _time.GetUtcNow().AddSeconds(60);

        leases.Extend("p", end);

        Assert.Equal(end, leases.Until("p"));
        Assert.Null(leases.Until("other"));
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(end, leases.Until("p"));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Null(leases.Until("p"));
        Assert.Equal(0, leases.Count);
    }

    [Fact]
    public void Extend_ShorterLeaseThanHeld_KeepsTheLonger()
    {
        var leases = new WatchLeases(_time);
        var longer = _time.GetUtcNow().AddSeconds(60);
        leases.Extend("p", longer);

        leases.Extend("p", _time.GetUtcNow().AddSeconds(10));

        Assert.Equal(longer, leases.Until("p"));
    }

    [Fact]
    public void Extend_AfterAMinute_SweepsExpiredLeasesNobodyAskedAbout()
    {
        var leases = new WatchLeases(_time);
        for (var i = 0; i < 100; i++)
        {
            leases.Extend($"gone-{i}", _time.GetUtcNow().AddSeconds(10));
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        leases.Extend("stays", _time.GetUtcNow().AddSeconds(60));

        Assert.Equal(1, leases.Count);
    }
}
