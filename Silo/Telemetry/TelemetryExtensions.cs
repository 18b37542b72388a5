using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Ingest.Tracing;

// In the project's root namespace (as AddInventoryIngest is in the Ingest's), so the composition root calls it without a using.
namespace InventoryOrleans.Silo;

/// <summary>
/// Metrics and traces of the silo: the traces every host records (<see cref="InventoryTracingExtensions"/>) plus the
/// ingest's (<see cref="IngestActivitySource"/>), and the metrics every host exports (<see cref="InventoryMetricsExtensions"/>: Orleans' own
/// <c>Microsoft.Orleans</c>, ASP.NET Core and the .NET runtime) plus the ingest's meters (<c>InventoryOrleans.*</c>),
/// scraped by Prometheus at <c>/metrics</c>.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The meters exported besides ASP.NET Core's and the runtime's.</summary>
    public static IReadOnlyList<string> Meters { get; } = ["InventoryOrleans.*", InventoryMetricsExtensions.OrleansMeter];

    public const string ServiceName = "inventory-silo";

    public const string ScrapePath = InventoryMetricsExtensions.ScrapePath;

    /// <summary>
    /// Adds the OpenTelemetry meter provider with the Prometheus exporter, keeps per-operation logs of libraries out of
    /// Information.
    /// </summary>
    public static IHostApplicationBuilder AddInventoryTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddInventoryMetrics(ServiceName, "InventoryOrleans.*");
        builder.AddInventoryTracing(ServiceName, IngestActivitySource.Name);

        // Polly logs every execution of a resilience pipeline at Information, and Orleans places each new activation
        // through one: a line per product grain. Its warnings (retries, failures) still show.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        return builder;
    }

    /// <summary>Serves the Prometheus text format at <see cref="ScrapePath"/>.</summary>
    public static IEndpointRouteBuilder MapInventoryTelemetry(this IEndpointRouteBuilder endpoints) => endpoints.MapInventoryMetrics();
}
