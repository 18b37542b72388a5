using System.Net;
using System.Text.Json.Nodes;
using InventoryOrleans.Api.Health;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Api.Tests.Health;

/// <summary>
/// <c>/healthz</c> and <c>/readyz</c> as every host maps them (<see cref="HealthEndpoints"/>): which checks each reads
/// (by tag), the one body shape, the status codes, the two-second bound on probing, and their place in OpenAPI.
/// </summary>
[Collection(ApiClusterCollection.Name)]
public sealed class HealthEndpointsTests(ApiCluster cluster)
{
    private static readonly string[] Ready = [HealthTags.Ready];

    [Fact]
    public async Task Readyz_ReadyCheckFails_503WithEachReadyCheckByNameAndItsData()
    {
        await using var host = await StartAsync(checks => checks
            .AddCheck("up", () => HealthCheckResult.Healthy("fine", Data("partitions", new[] { 0, 3 })), tags: Ready)
            .AddCheck("down", () => HealthCheckResult.Unhealthy("broken — see the runbook's 'State rolled back'"), tags: Ready)
            .AddCheck("untagged", () => HealthCheckResult.Unhealthy("not a readiness check")));

        using var response = await host.Http.GetAsync(new Uri(HealthEndpoints.Readiness, UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(
            """{"ready":false,"checks":{"up":{"ok":true,"detail":"fine","partitions":[0,3]},"down":{"ok":false,"detail":"broken — see the runbook's 'State rolled back'"}}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_EveryReadyCheckPasses_200Ready_UntaggedFailingCheckIgnored()
    {
        await using var host = await StartAsync(checks => checks
            .AddCheck("up", () => HealthCheckResult.Healthy("fine"), tags: Ready)
            .AddCheck("untagged", () => HealthCheckResult.Unhealthy("not a readiness check")));

        using var response = await host.Http.GetAsync(new Uri(HealthEndpoints.Readiness, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"ready":true,"checks":{"up":{"ok":true,"detail":"fine"}}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_DegradedCheck_503AndNotOk()
    {
        await using var host = await StartAsync(checks => checks.AddCheck("slow", () => HealthCheckResult.Degraded("slow"), tags: Ready));

        using var response = await host.Http.GetAsync(new Uri(HealthEndpoints.Readiness, UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"ready":false,"checks":{"slow":{"ok":false,"detail":"slow"}}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_ReadyCheckFails_Stays200Alive()
    {
        await using var host = await StartAsync(checks => checks.AddCheck("down", () => HealthCheckResult.Unhealthy("Redis unreachable"), tags: Ready));

        using var liveness = await host.Http.GetAsync(new Uri(HealthEndpoints.Liveness, UriKind.Relative));
        using var readiness = await host.Http.GetAsync(new Uri(HealthEndpoints.Readiness, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal("""{"status":"alive"}""", await liveness.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
    }

    [Fact]
    public async Task Healthz_LiveCheckFails_503Unhealthy_ReadyzUnaffected()
    {
        await using var host = await StartAsync(checks => checks.AddCheck("wedged", () => HealthCheckResult.Unhealthy("wedged"), tags: [HealthTags.Live]));

        using var liveness = await host.Http.GetAsync(new Uri(HealthEndpoints.Liveness, UriKind.Relative));
        using var readiness = await host.Http.GetAsync(new Uri(HealthEndpoints.Readiness, UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, liveness.StatusCode);
        Assert.Equal("""{"status":"unhealthy"}""", await liveness.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        Assert.Equal("""{"ready":true,"checks":{}}""", await readiness.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_AskedAgainWithinTwoSeconds_ChecksRunOnce_ThenAgainAfter()
    {
        var runs = 0;
        var time = new ManualTimeProvider();
        await using var host = await StartAsync(
            checks => checks.AddCheck("counted", () => HealthCheckResult.Healthy($"run {Interlocked.Increment(ref runs)}"), tags: Ready),
            time);

        var first = await ReadyDetailAsync(host, "counted");
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(first, await ReadyDetailAsync(host, "counted"));
        Assert.Equal(1, Volatile.Read(ref runs));

        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.NotEqual(first, await ReadyDetailAsync(host, "counted"));
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task HealthRoutes_GetOnly_AndDescribedInOpenApi()
    {
        using var post = await cluster.Api.Http.PostAsync(new Uri(HealthEndpoints.Readiness, UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);

        using var document = await cluster.Api.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var paths = (await document.BodyAsync())!["paths"]!.AsObject();
        Assert.NotNull(paths[HealthEndpoints.Liveness]?["get"]?["responses"]?["200"]);
        var readiness = paths[HealthEndpoints.Readiness]?["get"]?["responses"] as JsonObject;
        Assert.NotNull(readiness);
        Assert.Equal(["200", "503"], readiness.Select(r => r.Key));
    }

    private Task<ApiTestHost> StartAsync(Action<IHealthChecksBuilder> checks, TimeProvider? time = null) =>
        cluster.StartHostAsync(cluster.Settings(), time: time, services: s => checks(s.AddHealthChecks()));

    private static async Task<string> ReadyDetailAsync(ApiTestHost host, string check)
    {
        using var response = await host.Http.GetAsync(new Uri(HealthEndpoints.Readiness, UriKind.Relative));
        return (await response.BodyAsync())!["checks"]![check]!["detail"]!.GetValue<string>();
    }

    private static Dictionary<string, object> Data(string key, object value) => new(StringComparer.Ordinal) { [key] = value };
}
