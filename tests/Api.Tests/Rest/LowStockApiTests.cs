using System.Net;
using System.Text.Json.Nodes;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>GET /api/low-stock: the products whose latest alert on <c>inventory.alerts</c> is Low, by productId.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class LowStockApiTests(ApiCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private HttpClient Http => cluster.Api.Http;

    [Fact]
    public async Task GetLowStock_ListsAProductAfterItsLowAlertInProductIdOrderAndDropsItAfterRecovered()
    {
        // Two products of one prefix, posted in reverse order of their ids; the default threshold is 10.
        var prefix = Products.New("low-list");
        var (a, b) = ($"{prefix}-a", $"{prefix}-b");
        foreach (var productId in new[] { b, a })
        {
            await PostAsync($$"""{"type":"Receipt","productId":"{{productId}}","quantity":20}""");
        }

        Assert.DoesNotContain(await ListedAsync(), e => e["productId"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal));

        var atB = (await PostAsync($$"""{"type":"Adjustment","productId":"{{b}}","quantity":-15}"""))["stock"]!;
        var atA = (await PostAsync($$"""{"type":"Reservation","productId":"{{a}}","quantity":12,"reservationId":"r-1"}"""))["stock"]!;

        var listed = await ListedUntilAsync(items => Mine(items, prefix).Count == 2, "both products are listed");
        Assert.Equal(listed.Select(e => e["productId"]!.GetValue<string>()).Order(StringComparer.Ordinal), listed.Select(e => e["productId"]!.GetValue<string>()));
        var entries = Mine(listed, prefix);
        Assert.Equal([a, b], entries.Select(e => e["productId"]!.GetValue<string>()));
        Assert.Equal(["productId", "available", "threshold", "version", "at"], entries[0].Select(p => p.Key));
        Assert.Equal((8L, 10L, 2L, atA["updatedAt"]!.GetValue<string>()), Entry(entries[0]));
        Assert.Equal((5L, 10L, 2L, atB["updatedAt"]!.GetValue<string>()), Entry(entries[1]));

        // a recovers (released, 20 available); b stays low after a further sale (no new alert: same side).
        await PostAsync($$"""{"type":"ReservationRelease","productId":"{{a}}","reservationId":"r-1"}""");
        await PostAsync($$"""{"type":"Adjustment","productId":"{{b}}","quantity":-1}""");

        listed = await ListedUntilAsync(items => Mine(items, prefix).Count == 1, $"{a} is dropped");
        Assert.Equal((5L, 10L, 2L, atB["updatedAt"]!.GetValue<string>()), Entry(Assert.Single(Mine(listed, prefix))));
    }

    private static List<JsonObject> Mine(List<JsonObject> items, string prefix) =>
        [.. items.Where(e => e["productId"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal))];

    private static (long Available, long Threshold, long Version, string At) Entry(JsonObject entry) =>
        (entry["available"]!.GetValue<long>(), entry["threshold"]!.GetValue<long>(), entry["version"]!.GetValue<long>(), entry["at"]!.GetValue<string>());

    private async Task<JsonObject> PostAsync(string inventoryEvent)
    {
        using var response = await Http.PostRawAsync("/api/events?wait=true", inventoryEvent);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = (await response.BodyAsync())!["outcome"]!.AsObject();
        Assert.Equal("Applied", outcome["status"]!.GetValue<string>());
        return outcome;
    }

    private async Task<List<JsonObject>> ListedAsync()
    {
        using var response = await Http.GetAsync(new Uri("/api/low-stock", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.BodyAsync())!.AsObject();
        Assert.Equal(["items"], body.Select(p => p.Key));
        return [.. body["items"]!.AsArray().Select(e => e!.AsObject())];
    }

    private async Task<List<JsonObject>> ListedUntilAsync(Func<List<JsonObject>, bool> condition, string because)
    {
        List<JsonObject> listed = [];
        await Eventually.TrueAsync(async () => condition(listed = await ListedAsync()), Patience, because);
        return listed;
    }
}
