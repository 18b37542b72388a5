using System.Net;
using System.Text.Json.Nodes;
using InventoryOrleans.Api.Tests.Support;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>GET /openapi/v1.json describes every REST route with its answers.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class OpenApiTests(ApiCluster cluster)
{
    [Fact]
    public async Task OpenApi_ListsEveryRouteWithItsStatuses()
    {
        using var response = await cluster.Api.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.BodyAsync())!["paths"]!.AsObject();

        AssertOperation(paths, "/api/stock/{productId}", "get", ["200", "400", "404"]);
        AssertOperation(paths, "/api/stock", "get", ["200", "400"]);
        AssertOperation(paths, "/api/stock/query", "post", ["200", "400"]);
        AssertOperation(paths, "/api/stock/{productId}/changes", "get", ["200", "400"]);
        var postEvent = AssertOperation(paths, "/api/events", "post", ["200", "202", "400", "401", "503", "504"]);
        var postSale = AssertOperation(paths, "/api/sales", "post", ["200", "202", "400", "401", "503", "504"]);
        var putThreshold = AssertOperation(paths, "/api/stock/{productId}/low-stock-threshold", "put", ["200", "202", "400", "401", "503", "504"]);
        AssertOperation(paths, "/api/low-stock", "get", ["200"]);
        Assert.NotNull(postEvent["requestBody"]?["content"]?["application/json"]);
        Assert.NotNull(putThreshold["requestBody"]?["content"]?["application/json"]);
        Assert.NotNull(postSale["requestBody"]?["content"]?["application/json"]);
        Assert.NotNull(paths["/api/stock/{productId}/changes"]!["get"]!["responses"]!["200"]!["content"]!["text/event-stream"]);
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/dashboard", StringComparison.Ordinal));
    }

    private static JsonObject AssertOperation(JsonObject paths, string path, string method, string[] statuses)
    {
        Assert.True(paths[path]?[method] is JsonObject, $"{method.ToUpperInvariant()} {path} is missing from {string.Join(", ", paths.Select(p => p.Key))}");
        var operation = paths[path]![method]!.AsObject();
        var responses = operation["responses"]!.AsObject().Select(r => r.Key).ToHashSet();
        Assert.True(statuses.All(responses.Contains), $"{method.ToUpperInvariant()} {path} documents {string.Join(",", responses)}, not all of {string.Join(",", statuses)}");
        return operation;
    }
}
