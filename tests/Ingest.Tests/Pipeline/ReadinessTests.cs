using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.Silo.Health;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>What <c>/readyz</c> reports, through the silo's <see cref="ReadinessProbe"/>.</summary>
public sealed class ReadinessTests : EmbeddedSiloTest
{
    [Fact]
    public async Task Check_ConsumingSilo_ReadyThenBrokerCheckFailsWhenBrokerStops()
    {
        await using var silo = await StartSiloAsync();
        var probe = silo.Services.GetRequiredService<ReadinessProbe>();

        await Eventually.TrueAsync(async () => (await probe.CheckAsync(CancellationToken.None)).Ready, TimeSpan.FromSeconds(30), "the silo is ready");

        await Broker.Server.StopAsync();
        await Eventually.TrueAsync(
            async () => await probe.CheckAsync(CancellationToken.None) is { Ready: false } report && !report.Checks["broker"].Ok,
            TimeSpan.FromSeconds(30),
            "the broker check fails");
        var failing = await probe.CheckAsync(CancellationToken.None);
        Assert.True(failing.Checks["storage"].Ok);
        Assert.Contains("broker", failing.Checks["broker"].Detail, StringComparison.Ordinal);
    }
}
