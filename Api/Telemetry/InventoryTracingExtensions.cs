using Microsoft.AspNetCore.Http;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace InventoryOrleans.Api.Telemetry;

/// <summary>
/// The traces every host of the solution records: ASP.NET Core's server spans (REST, and gRPC, which ASP.NET Core
/// serves), Orleans' grain calls (<c>Microsoft.Orleans.Application</c>, <c>Microsoft.Orleans.Runtime</c>; the silo and
/// the Orleans client must have <c>AddActivityPropagation()</c>), the API's own (<see cref="ApiActivitySource"/>) and
/// the host's (the silo: the ingest's). Exported by OTLP to <see cref="OtlpEndpointKey"/> when it is set; without it
/// there is nowhere to send spans, so none is sampled and the instrumented code takes its no-listener paths.
/// </summary>
public static class InventoryTracingExtensions
{
    /// <summary>OpenTelemetry's own setting (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, default <c>grpc</c>).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Whether grain calls carry the trace (<c>Tracing:GrainCalls</c>; by default when traces are exported). Off, a silo
    /// and a client do not run Orleans' activity propagation: its grain call filters cost about 1 KB of allocation per
    /// ingested event even when no span is recorded (docs/benchmarks.md).
    /// </summary>
    public const string GrainCallsKey = "Tracing:GrainCalls";

    /// <summary>Whether <see cref="GrainCallsKey"/> is on: set true or false, else whether <see cref="OtlpEndpointKey"/> is set.</summary>
    public static bool TracesGrainCalls(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return bool.TryParse(configuration[GrainCallsKey], out var on) ? on : !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
    }

    /// <summary>Orleans' activity sources: application grain calls and runtime (system target) calls.</summary>
    public static IReadOnlyList<string> OrleansSources { get; } = ["Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime"];

    // Scraped and probed every few seconds: a trace of each would bury the ones worth reading.
    private static readonly PathString[] Untraced = [InventoryMetricsExtensions.ScrapePath, "/healthz", "/readyz"];

    /// <summary>
    /// Adds OpenTelemetry tracing (resource <c>service.name</c> = <c>OTEL_SERVICE_NAME</c> when set, else
    /// <paramref name="serviceName"/>) of <paramref name="sources"/> (wildcards allowed), the API's, Orleans' and ASP.NET
    /// Core's, with the OTLP exporter when <see cref="OtlpEndpointKey"/> is set. Tests add their own exporter and sampler
    /// with <c>ConfigureOpenTelemetryTracerProvider</c>.
    /// </summary>
    public static IHostApplicationBuilder AddInventoryTracing(this IHostApplicationBuilder builder, string serviceName, params IEnumerable<string> sources)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ArgumentNullException.ThrowIfNull(sources);
        var export = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(TelemetryServiceName.Of(builder.Configuration, serviceName)))
            .WithTracing(tracing =>
            {
                tracing.AddSource([.. sources, ApiActivitySource.Name, .. OrleansSources])
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !Untraced.Any(path => context.Request.Path.StartsWithSegments(path)));
                if (export)
                {
                    // Traces only: the metrics stay on /metrics for Prometheus, and a trace viewer such as Jaeger takes no
                    // OTLP metrics or logs (UseOtlpExporter would send all three). The exporter reads the endpoint, the
                    // protocol and the headers from the OTEL_EXPORTER_OTLP_* settings itself.
                    tracing.AddOtlpExporter();
                }
                else
                {
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            });
        return builder;
    }
}
