using InventoryOrleans.Runtime.Tests.TestGrains;

namespace InventoryOrleans.Runtime.Tests.References;

/// <summary>References: key validation, unknown interfaces, every method shape.</summary>
public sealed class GrainReferenceTests
{
    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task GetGrain_EmptyKey_ThrowsArgumentException(string? key)
    {
        await using var silo = await TestSilo.StartAsync();

        var error = Assert.Throws<ArgumentException>(() => silo.Factory.GetGrain<ICounterGrain>(key!));

        Assert.Equal("key", error.ParamName);
    }

    [Fact]
    public async Task GetGrain_KeyLongerThan128_ThrowsArgumentExceptionWithLength()
    {
        await using var silo = await TestSilo.StartAsync();

        var error = Assert.Throws<ArgumentException>(() => silo.Factory.GetGrain<ICounterGrain>(new string('x', 129)));

        Assert.Contains("129", error.Message, StringComparison.Ordinal);
        Assert.NotNull(silo.Factory.GetGrain<ICounterGrain>(new string('x', 128)));
    }

    [Fact]
    public async Task GetGrain_UnregisteredInterface_ThrowsNamingTheFix()
    {
        await using var silo = await TestSilo.StartAsync();

        var error = Assert.Throws<InvalidOperationException>(() => silo.Factory.GetGrain<IUnregisteredGrain>("k"));

        Assert.Contains("AddGrain<IUnregisteredGrain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ValueTaskAndTaskMethods_ReturnTheGrainsResults()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Factory.GetGrain<ICounterGrain>("shapes");

        await grain.PingAsync();
        Assert.NotEqual(Guid.Empty, await grain.GetInstanceIdAsync());
        Assert.Equal(1, await grain.IncrementInMemoryAsync());
        Assert.Equal("GrainReference(CounterGrain/shapes)", grain.ToString());
    }

    [Fact]
    public async Task GetGrain_ActiveGrain_ReusesOneReferenceUntilDeactivated()
    {
        await using var silo = await TestSilo.StartAsync();
        var first = silo.Factory.GetGrain<ICounterGrain>("cached");
        var old = await first.GetInstanceIdAsync();

        Assert.Same(silo.Factory.GetGrain<ICounterGrain>("cached"), silo.Factory.GetGrain<ICounterGrain>("cached"));
        await silo.Runtime.DeactivateAsync((_, key) => key == "cached");

        var again = silo.Factory.GetGrain<ICounterGrain>("cached");
        Assert.NotEqual(old, await again.GetInstanceIdAsync());
        Assert.NotEqual(old, await first.GetInstanceIdAsync());
    }

    /// <summary>No grain class is registered for this one.</summary>
    public interface IUnregisteredGrain : IGrainWithStringKey
    {
        Task PingAsync();
    }
}
