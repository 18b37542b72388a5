using System.Net;
using InventoryOrleans.Api.Hosting;
using InventoryOrleans.Api.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace InventoryOrleans.Api.Tests.Hosting;

/// <summary>Kestrel's two endpoints: REST over HTTP/1.1 on --urls, h2c (HTTP/2 only) on Api:GrpcUrl for the gRPC service.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class EndpointTests(ApiCluster cluster)
{
    private const string GrpcOnly = "/grpc-endpoint-probe";

    [Fact]
    public async Task GrpcEndpoint_ServesHttp2WithoutTls_AndRequireGrpcEndpointKeepsRoutesThereOnly()
    {
        await using var host = await cluster.StartHostAsync(
            cluster.Settings(),
            map: app => app.MapGet(GrpcOnly, () => TypedResults.Ok("grpc port")).RequireGrpcEndpoint());
        using var h2c = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var onGrpcPort = await h2c.GetAsync(new Uri(host.GrpcAddress, GrpcOnly));
        Assert.Equal(HttpStatusCode.OK, onGrpcPort.StatusCode);
        Assert.Equal(HttpVersion.Version20, onGrpcPort.Version);

        using var onRestPort = await host.Http.GetAsync(new Uri(GrpcOnly, UriKind.Relative));
        await onRestPort.AssertProblemAsync(404);
    }

    [Fact]
    public async Task GrpcEndpoint_Http11Refused_RestEndpoint_Http11Served()
    {
        using var http11 = new HttpClient { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        // Kestrel answers an HTTP/1.x request on an HTTP/2-only endpoint itself, before any route.
        using var grpc = await http11.GetAsync(new Uri(cluster.Api.GrpcAddress, "/api/stock?ids=a"));
        Assert.Equal(HttpStatusCode.BadRequest, grpc.StatusCode);
        Assert.Contains("HTTP/2 only", await grpc.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var rest = await http11.GetAsync(new Uri(cluster.Api.BaseAddress, "/api/stock?ids=a"));
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(HttpVersion.Version11, rest.Version);
    }
}
