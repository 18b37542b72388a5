using System.Diagnostics.Metrics;
using InventoryOrleans.Api.Alerts;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Telemetry.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Telemetry.Tests.Telemetry;

/// <summary>
/// The names <c>/metrics</c> gives the API's meter (stock watches, the low-stock board) and the expiry publication
/// failures, as docs/operations.md lists them: recorded through the types that own them, exported by the silo's telemetry.
/// </summary>
public sealed class ApiAndExpiryMetricsTests
{
    [Fact]
    public async Task Metrics_WatchesLowStockBoardAndExpiryFailures_ExportedUnderTheirPrometheusNames()
    {
        await using var host = await TelemetryHost.StartAsync();
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var watches = new WatchMetrics(meters);
        using var schemas = new RegistrySchemas(Options.Create(new SchemaRegistryOptions()));
        using var board = new LowStockBoard(Options.Create(new KafkaOptions { BootstrapServers = "127.0.0.1:1" }), schemas, meters, NullLogger<LowStockBoard>.Instance);
        var ingest = new IngestMetrics(TimeProvider.System, meters);

        watches.Opened();
        watches.Opened();
        watches.Pending(3);
        watches.Pending(-1);
        watches.Overrun();
        ingest.RecordExpiryPublishFailures(2);

        var scrape = await host.ScrapeAsync();
        Assert.Equal(("gauge", 2.0), Single(scrape, "inventory_watch_active"));
        Assert.Equal(("gauge", 2.0), Single(scrape, "inventory_watch_pending"));
        Assert.Equal(("counter", 1.0), Single(scrape, "inventory_watch_overruns_total"));
        Assert.Equal(("gauge", 0.0), Single(scrape, "inventory_low_stock_products"));
        Assert.Equal(("counter", 2.0), Single(scrape, "inventory_expiry_publish_failures_total"));
    }

    private static (string Type, double Value) Single(PrometheusScrape scrape, string family)
    {
        var metric = scrape.Family(family);
        return (metric.Type, Assert.Single(metric.Samples).Value);
    }
}
