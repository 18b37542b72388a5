using InventoryOrleans.Api.Options;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// Drops endpoints marked <see cref="GrpcEndpointMetadata"/> from requests that arrived on another port than
/// <c>Api:GrpcUrl</c>'s, so they answer 404 there.
/// </summary>
public sealed class GrpcEndpointMatcherPolicy(IOptions<ApiOptions> api) : MatcherPolicy, IEndpointSelectorPolicy
{
    private readonly Lazy<int> _grpcPort = new(() => Uri.TryCreate(api.Value.GrpcUrl, UriKind.Absolute, out var url) ? url.Port : -1);

    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Any(e => e.Metadata.GetMetadata<GrpcEndpointMetadata>() is not null);
    }

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(candidates);
        var localPort = httpContext.Connection.LocalPort;
        if (localPort == 0)
        {
            // No socket: an in-memory test server has no endpoints to tell apart.
            return Task.CompletedTask;
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i)
                && candidates[i].Endpoint.Metadata.GetMetadata<GrpcEndpointMetadata>() is not null
                && localPort != _grpcPort.Value)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
