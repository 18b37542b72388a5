using InventoryOrleans.Api.Alerts;
using InventoryOrleans.Api.Auth;
using InventoryOrleans.Api.Grpc;
using InventoryOrleans.Api.Health;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Outcomes;
using InventoryOrleans.Api.Page;
using InventoryOrleans.Api.Posting;
using InventoryOrleans.Api.Rest;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Configuration;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Hosting;

/// <summary>Registers and maps the inventory API; the silo co-hosts it, <c>Program.cs</c> runs it standalone.</summary>
public static class InventoryApiHostingExtensions
{
    /// <summary>
    /// Adds the API's services: options (<c>Api</c>, <c>Kafka</c>, <c>Watch</c>), Kestrel's REST and gRPC endpoints (refusing to
    /// start exposed without a key), API-key authentication and the <see cref="ApiPolicies"/>, ProblemDetails for every
    /// error, OpenAPI, the health check service (<see cref="HealthEndpoints.AddInventoryHealth"/>), the event producer, submission, outcome waits and stock watches. The host must also be an
    /// Orleans silo or client (<c>UseOrleans</c> / <c>UseOrleansClient</c>); live changes come from the host's own
    /// tail of <c>inventory.net-stock</c> (<see cref="NetStockTail"/>).
    /// </summary>
    public static IHostApplicationBuilder AddInventoryApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart()

            // The contract names Api__OutcomeTimeoutMs.
            .AcceptMillisecondsKeys(ApiOptions.SectionName, nameof(ApiOptions.OutcomeTimeout));
        services.AddSchemaRegistry();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiProduceFormatValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiExposureValidator>());

        // The API produces with the silo's own Kafka settings (bootstrap servers, client id, produce timeout): one type
        // binds the section for both, so a silo's embedded DevBroker reaches the co-hosted API without help.
        services.AddKafkaOptions();
        services.AddOptions<WatchOptions>().BindConfiguration(WatchOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WatchOptions>, WatchOptionsValidator>());
        builder.AddApiEndpoints();

        // Kestrel's per-request logs would drown everything else. Set here, once for the silo and the Api host alike:
        // the Api host has no appsettings.json, and the silo's is not found when it runs from another folder.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // The health check service logs every failing check at Error, each time it runs (every 2 s while /readyz or the
        // cluster stats ask): an outage would fill the log. /readyz shows it, and the ingest logs it once when it starts.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        services.AddApiKeyAuthorization();
        services.AddProblemDetails();
        services.AddExceptionHandler<UnavailableExceptionHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ProblemDetailsStartupFilter>());
        services.AddOpenApi();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EventProducer>();
        services.TryAddSingleton<ProducedSchemas>();
        services.TryAddSingleton<EventSubmission>();
        services.TryAddSingleton<OutcomeWaiter>();
        services.TryAddSingleton<WatchMetrics>();
        services.TryAddSingleton<StockWatcher>();
        services.TryAddSingleton<StockChangeHub>();
        services.TryAddSingleton<NetStockTail>();
        services.AddHostedService(sp => sp.GetRequiredService<NetStockTail>());
        services.TryAddSingleton<LowStockBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<LowStockBoard>());
        services.AddInventoryHealth();
        services.AddInventoryGrpc();
        return builder;
    }

    /// <summary>
    /// Maps the API's routes: REST under <c>/api</c>, <c>/healthz</c> and <c>/readyz</c> (from the checks the host's
    /// libraries register), the OpenAPI document at <c>/openapi/v1.json</c> and the inventory page at <c>/</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapInventoryApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapStockApi();
        endpoints.MapEventsApi();
        endpoints.MapLowStockApi();
        endpoints.MapOpsApi();
        endpoints.MapInventoryHealth();
        endpoints.MapOpenApi();
        endpoints.MapInventoryPage();
        endpoints.MapInventoryGrpc().RequireGrpcEndpoint();
        return endpoints;
    }

    // Kestrel binds REST and gRPC itself: they need different protocols on plain HTTP. The loopback rule is checked on
    // the configuration (ApiExposureValidator), on each endpoint as it is bound (ApiKestrelSetup) and on what was bound.
    private static void AddApiEndpoints(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(RestUrls.From(builder.Configuration));
        builder.Services.AddSingleton(KestrelEndpointUrls.From(builder.Configuration));
        builder.Services.AddHostedService<BoundAddressesCheck>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, ApiKestrelSetup>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, RestUrlsStartupFilter>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, GrpcEndpointMatcherPolicy>());
    }
}
