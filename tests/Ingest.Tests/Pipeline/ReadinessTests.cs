using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.Silo.Health;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>What <c>/readyz</c> reports, through the silo's <see cref="ReadinessProbe"/>.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), "readiness-tests-" + Guid.NewGuid().ToString("N") + ".db");
    private BrokerFixture _broker = null!;

    public async Task InitializeAsync() => _broker = await BrokerFixture.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        foreach (var file in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Check_ConsumingSilo_ReadyThenBrokerCheckFailsWhenBrokerStops()
    {
        await using var silo = await TestSilo.StartAsync("silo-1", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = _broker.BootstrapServers,
            ["Storage:Provider"] = "Sqlite",
            ["Storage:SqlitePath"] = _sqlitePath,
        });
        var probe = silo.Services.GetRequiredService<ReadinessProbe>();

        await Eventually.TrueAsync(async () => (await probe.CheckAsync(CancellationToken.None)).Ready, TimeSpan.FromSeconds(30), "the silo is ready");

        await _broker.Server.StopAsync();
        await Eventually.TrueAsync(
            async () => await probe.CheckAsync(CancellationToken.None) is { Ready: false } report && !report.Checks["broker"].Ok,
            TimeSpan.FromSeconds(30),
            "the broker check fails");
        var failing = await probe.CheckAsync(CancellationToken.None);
        Assert.True(failing.Checks["storage"].Ok);
        Assert.Contains("broker", failing.Checks["broker"].Detail, StringComparison.Ordinal);
    }
}
