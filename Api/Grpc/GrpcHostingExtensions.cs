using Microsoft.AspNetCore.Builder;

namespace InventoryOrleans.Api.Grpc;

/// <summary>Registers and maps the gRPC side of the API: the inventory service, server reflection and <c>grpc.health.v1</c>.</summary>
public static class GrpcHostingExtensions
{
    /// <summary>
    /// Adds gRPC, server reflection and the standard health service with <see cref="OrleansClusterHealthCheck"/>. The
    /// health service answers for <c>""</c> (the server) and <c>inventory.v1.Inventory</c> from every health check the
    /// host registers: SERVING when all are healthy.
    /// </summary>
    public static IServiceCollection AddInventoryGrpc(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGrpc();
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks(o =>
        {
            o.Services.Map("", _ => true);
            o.Services.Map(InventoryService.ServiceName, _ => true);
        }).AddCheck<OrleansClusterHealthCheck>(OrleansClusterHealthCheck.Name);
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
