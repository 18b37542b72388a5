using InventoryOrleans.Api.Health;
using Microsoft.AspNetCore.Builder;

namespace InventoryOrleans.Api.Grpc;

/// <summary>Registers and maps the gRPC side of the API: the inventory service, server reflection and <c>grpc.health.v1</c>.</summary>
public static class GrpcHostingExtensions
{
    /// <summary>
    /// Adds gRPC, server reflection and the standard health service. It answers for <c>""</c> (the server) and
    /// <c>inventory.v1.Inventory</c> from the host's <see cref="HealthTags.Ready"/> checks, the ones <c>/readyz</c>
    /// answers from: SERVING exactly when <c>/readyz</c> says ready.
    /// </summary>
    public static IServiceCollection AddInventoryGrpc(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGrpc();
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks(o =>
        {
            o.Services.Map("", c => c.Tags.Contains(HealthTags.Ready));
            o.Services.Map(InventoryService.ServiceName, c => c.Tags.Contains(HealthTags.Ready));
        });
        return services;
    }

    /// <summary>
    /// Maps the inventory service, reflection and health. The returned builder applies a convention to all three
    /// (e.g. <c>RequireHost</c> to keep them on the h2c endpoint).
    /// </summary>
    public static IEndpointConventionBuilder MapInventoryGrpc(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return new ConventionGroup(
        [
            endpoints.MapGrpcService<InventoryService>(),
            endpoints.MapGrpcReflectionService(),
            endpoints.MapGrpcHealthChecksService(),
        ]);
    }

    private sealed class ConventionGroup(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
