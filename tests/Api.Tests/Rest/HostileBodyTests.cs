using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.TestSupport.Fuzzing;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>
/// The write routes against a few hundred hostile bodies (<see cref="FuzzEvents"/>, fixed seeds) on the running test
/// cluster: each is answered 202 with where the event went, or 400 with a ValidationProblemDetails naming what is wrong
/// — never a server error or a dropped connection; one record is produced per 202 and none per 400; and the host keeps
/// serving. A failure names the seed (<c>FuzzEvents.EventBody(seed, "fuzz")</c>, <c>SaleBody</c>, <c>ThresholdBody</c>).
/// </summary>
[Collection(ApiClusterCollection.Name)]
public sealed class HostileBodyTests(ApiCluster cluster)
{
    private const int Bodies = 300;

    // Far from the parser's seeds, so the two tests do not merely repeat each other.
    private const int FirstSeed = 1_000_000;

    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(30);

    private HttpClient Http => cluster.Api.Http;

    [Fact]
    public async Task WriteRoutes_MutatedBodies_202Or400NeverAServerErrorAndTheHostKeepsServing()
    {
        var before = cluster.InputEnds();
        var (accepted, refused) = (0, 0);
        for (var seed = FirstSeed; seed < FirstSeed + Bodies; seed++)
        {
            var (method, path, input) = (seed % 10) switch
            {
                < 6 => (HttpMethod.Post, "/api/events", FuzzEvents.EventBody(seed, "fuzz")),
                < 8 => (HttpMethod.Post, "/api/sales", FuzzEvents.SaleBody(seed, "fuzz-sale")),
                _ => (HttpMethod.Put, $"/api/stock/fuzz-threshold-{seed}/low-stock-threshold", FuzzEvents.ThresholdBody(seed)),
            };
            var (status, body) = await SendAsync(method, path, input);
            switch (status)
            {
                case HttpStatusCode.Accepted:
                    var posted = JsonNode.Parse(body)!.AsObject();
                    Assert.True(posted["eventId"] is not null && posted["topic"] is not null && posted["offset"] is not null, $"{path} {input}: 202 {body}");
                    accepted++;
                    break;
                case HttpStatusCode.BadRequest:
                    var errors = JsonNode.Parse(body)!["errors"]?.AsObject();
                    Assert.True(errors is { Count: > 0 }, $"{path} {input}: a 400 without errors: {body}");
                    refused++;
                    break;
                default:
                    Assert.Fail($"{path} {input}: {(int)status} {Clip(body)}");
                    break;
            }
        }

        // No partial state: exactly one record for each 202, none for a 400.
        var produced = cluster.InputEnds().Sum(t => t.Value.Sum(p => p.Value - before[t.Key].GetValueOrDefault(p.Key)));
        Assert.Equal(accepted, produced);
        Assert.True(accepted >= Bodies / 20 && refused >= Bodies / 2, $"{accepted} accepted, {refused} refused: the bodies are not varied enough");

        // Still serving, all the way to a grain's decision.
        using var sale = await Http.PostRawAsync("/api/sales?wait=true", $$"""{"productId":"{{Products.New("after-fuzz")}}","quantity":1}""");
        Assert.Equal(HttpStatusCode.OK, sale.StatusCode);
        Assert.Equal("Applied", (await sale.BodyAsync())!["outcome"]!["status"]!.GetValue<string>());
    }

    // The answer's status and body; a dropped connection or no answer in time fails with the seed.
    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, FuzzCase input)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(input.Value) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var deadline = new CancellationTokenSource(PerRequest);
        try
        {
            using var response = await Http.SendAsync(request, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            return (response.StatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            Assert.Fail($"{path} {input}: no answer ({e.GetType().Name}: {e.Message})");
            throw;
        }
    }

    private static string Clip(string text) => text.Length <= 2_000 ? text : text[..2_000] + "…";
}
