namespace InventoryOrleans.Api.Hosting;

/// <summary>Puts endpoints on the gRPC (h2c) endpoint of <c>Api:GrpcUrl</c> only.</summary>
public static class GrpcEndpointConventions
{
    /// <summary>
    /// Serves these endpoints only to connections accepted on the port of <c>Api:GrpcUrl</c> (the connection's local
    /// port, not the Host header, so a port-mapping proxy or container does not break it): e.g.
    /// <c>endpoints.MapGrpcService&lt;T&gt;().RequireGrpcEndpoint()</c>. Requests that came through no socket (an in-memory
    /// test server) are not filtered.
    /// </summary>
    public static TBuilder RequireGrpcEndpoint<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(GrpcEndpointMetadata.Instance));
        return builder;
    }
}

/// <summary>Marks an endpoint served on the gRPC port only (see <see cref="GrpcEndpointConventions.RequireGrpcEndpoint"/>).</summary>
public sealed class GrpcEndpointMetadata
{
    public static readonly GrpcEndpointMetadata Instance = new();

    private GrpcEndpointMetadata()
    {
    }
}
