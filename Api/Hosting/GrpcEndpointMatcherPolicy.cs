using InventoryOrleans.Api.Options;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// Routes requests that arrived on another port than <c>Api:GrpcUrl</c>'s past the endpoints marked
/// <see cref="GrpcEndpointMetadata"/>, so they are not candidates there at all.
/// </summary>
/// <remarks>
/// A node-building policy ordered before HTTP method and content type matching, not a filter of candidates after
/// them: Grpc.AspNetCore maps "unimplemented service/method" catch-alls (<c>{service}/{method}</c>) for any method and
/// content type, and while they stayed candidates on the REST port routing could not tell a wrong method on
/// <c>/api/events</c> (405), a <c>text/plain</c> post (415) or an unknown path (404) apart.
/// </remarks>
public sealed class GrpcEndpointMatcherPolicy(IOptions<ApiOptions> api) : MatcherPolicy, INodeBuilderPolicy
{
    private readonly Lazy<int> _grpcPort = new(() => Uri.TryCreate(api.Value.GrpcUrl, UriKind.Absolute, out var url) ? url.Port : -1);

    /// <summary>Before <c>HttpMethodMatcherPolicy</c> (-1000) and <c>ContentTypeMatcherPolicy</c>.</summary>
    public override int Order => -2000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Any(IsGrpc);
    }

    public IReadOnlyList<PolicyNodeEdge> GetEdges(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var edges = new List<PolicyNodeEdge> { new(ArrivedOn.GrpcPort, endpoints) };
        var rest = endpoints.Where(e => !IsGrpc(e)).ToArray();
        if (rest.Length > 0)
        {
            edges.Add(new PolicyNodeEdge(ArrivedOn.OtherPort, rest));
        }

        return edges;
    }

    public PolicyJumpTable BuildJumpTable(int exitDestination, IReadOnlyList<PolicyJumpTableEdge> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var grpc = exitDestination;
        var other = exitDestination;
        foreach (var edge in edges)
        {
            if (edge.State is ArrivedOn.GrpcPort)
            {
                grpc = edge.Destination;
            }
            else
            {
                other = edge.Destination;
            }
        }

        return new PortJumpTable(_grpcPort.Value, grpc, other);
    }

    private static bool IsGrpc(Endpoint endpoint) => endpoint.Metadata.GetMetadata<GrpcEndpointMetadata>() is not null;

    private enum ArrivedOn
    {
        GrpcPort,
        OtherPort,
    }

    private sealed class PortJumpTable(int grpcPort, int grpcDestination, int otherDestination) : PolicyJumpTable
    {
        public override int GetDestination(HttpContext httpContext)
        {
            var localPort = httpContext.Connection.LocalPort;

            // No socket (an in-memory test server): there are no endpoints to tell apart, everything is served.
            return localPort == 0 || localPort == grpcPort ? grpcDestination : otherDestination;
        }
    }
}
