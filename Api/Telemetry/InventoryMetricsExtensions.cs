using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace InventoryOrleans.Api.Telemetry;

/// <summary>
/// The metrics every host of the solution exports, the silo and the standalone Api host alike: OpenTelemetry over
/// Orleans' own meter (<c>Microsoft.Orleans</c>: a silo's runtime, a client's gateway and messaging), ASP.NET Core and
/// the .NET runtime and the API's own (<see cref="ApiMeter"/>), scraped by Prometheus at <see cref="ScrapePath"/>. A
/// host adds its own meters by name (the silo: the ingest's).
/// </summary>
public static class InventoryMetricsExtensions
{
    public const string OrleansMeter = "Microsoft.Orleans";

    public const string ScrapePath = "/metrics";

    /// <summary>
    /// Adds the OpenTelemetry meter provider (resource <c>service.name</c> = <c>OTEL_SERVICE_NAME</c> when set, else
    /// <paramref name="serviceName"/>) with the
    /// Prometheus exporter, listening to <paramref name="meters"/> (wildcards allowed), then the API's, Orleans' meter,
    /// ASP.NET Core's and the runtime's.
    /// </summary>
    public static IHostApplicationBuilder AddInventoryMetrics(this IHostApplicationBuilder builder, string serviceName, params IEnumerable<string> meters)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ArgumentNullException.ThrowIfNull(meters);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(TelemetryServiceName.Of(builder.Configuration, serviceName)))
            .WithMetrics(metrics => metrics
                .AddMeter([.. meters, ApiMeter.Name, OrleansMeter])
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Serves the Prometheus text format at <see cref="ScrapePath"/>, open to everyone (as health is).</summary>
    public static IEndpointRouteBuilder MapInventoryMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPrometheusScrapingEndpoint(ScrapePath);
        return endpoints;
    }
}
