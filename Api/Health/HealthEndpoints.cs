using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Health;

/// <summary>
/// <c>/healthz</c> and <c>/readyz</c> of every host, from the health checks its libraries register (the silo's ingest
/// checks, the Api host's <see cref="ApiHealthChecks.AddApiChecks"/>), with one body shape (<see cref="HealthResponses"/>).
/// </summary>
public static class HealthEndpoints
{
    public const string Liveness = "/healthz";

    public const string Readiness = "/readyz";

    /// <summary>
    /// Adds the health check service, each check run at most every two seconds (<see cref="HealthCheckCache"/>), and the
    /// two routes' OpenAPI description. The checks themselves are added by the libraries that own what they check.
    /// </summary>
    public static IHealthChecksBuilder AddInventoryHealth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HealthCheckServiceOptions>, HealthCheckCache>());
        services.ConfigureAll<OpenApiOptions>(o => o.AddDocumentTransformer<HealthOpenApi>());
        return services.AddHealthChecks();
    }

    /// <summary>
    /// Maps <c>GET /healthz</c> (the <see cref="HealthTags.Live"/> checks: none, so 200 while the process answers) and
    /// <c>GET /readyz</c> (the <see cref="HealthTags.Ready"/> checks: 200 when all pass, else 503).
    /// </summary>
    public static IEndpointRouteBuilder MapInventoryHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks(Liveness, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthTags.Live),
            ResponseWriter = HealthResponses.WriteLivenessAsync,
        }).WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        endpoints.MapHealthChecks(Readiness, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthResponses.WriteReadinessAsync,

            // Degraded is not ready either: every check must pass, as the body's "ready" says.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        return endpoints;
    }
}
