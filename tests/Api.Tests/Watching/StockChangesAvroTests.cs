using System.Net;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Avro;
using InventoryOrleans.TestSupport.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Api.Tests.Watching;

/// <summary>
/// With <c>Kafka:OutputFormat=avro</c> the silos write net stock as Confluent-framed Avro: the host's tail reads it back
/// through the schema registry, and watchers get the same change events as with JSON.
/// </summary>
public sealed class StockChangesAvroTests
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Watch_AvroNetStock_ChangesArriveAsNetStockJsonInVersionOrder()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?> { ["Kafka:OutputFormat"] = "avro" });
        await using var api = await ApiTestHost.StartAsync(cluster.Grains, new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.Broker!.BootstrapServers,
            ["SchemaRegistry:Url"] = cluster.Broker.SchemaRegistryUrl,
        });
        var productId = Products.New("avro-watch");
        await using var sse = await SseClient.OpenAsync(api.BaseAddress, $"/api/stock/{productId}/changes");
        await Eventually.TrueAsync(() => api.Services.GetRequiredService<StockChangeHub>().SubscribersOf(productId) == 1, Arrival, "the watch subscribed");

        await PostAsync(api, $$"""{"type":"Receipt","productId":"{{productId}}","quantity":10,"locationId":"dc-1"}""");
        await PostAsync(api, $$"""{"productId":"{{productId}}","quantity":4,"locationId":"dc-1"}""");

        var first = await sse.NextStockAsync(Arrival);
        var second = first.Id == "1" ? await sse.NextStockAsync(Arrival) : first;
        Assert.Equal("2", second.Id);
        Assert.Equal(6, second.Json["onHand"]!.GetValue<long>());
        Assert.Equal(6, second.Json["locations"]!["dc-1"]!.GetValue<long>());
        Assert.Equal(productId, second.Json["productId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_RegistryUnreachableFromTheApiHost_TheChangeWaitsAndArrivesOnceItIsBack()
    {
        await using var proxy = new TcpProxy();
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?> { ["Kafka:OutputFormat"] = "avro" });
        await using var api = await ApiTestHost.StartAsync(cluster.Grains, new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.Broker!.BootstrapServers,
            ["SchemaRegistry:Url"] = proxy.Url,
            ["SchemaRegistry:RequestTimeout"] = "00:00:01",
        });
        var productId = Products.New("avro-outage");
        await using var sse = await SseClient.OpenAsync(api.BaseAddress, $"/api/stock/{productId}/changes");
        await Eventually.TrueAsync(() => api.Services.GetRequiredService<StockChangeHub>().SubscribersOf(productId) == 1, Arrival, "the watch subscribed");

        // The silos write through the registry; the Api host, behind the proxy with no target, cannot resolve the id.
        await PostAsync(api, $$"""{"type":"Receipt","productId":"{{productId}}","quantity":10}""");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(sse.TryTake(out var early) && early!.Event is not null, $"nothing read while the registry is unreachable, got {early}");

        // Waited out, not skipped: the same record is read once the registry answers.
        proxy.Target = new Uri(cluster.Broker.SchemaRegistryUrl);
        var change = await sse.NextStockAsync(Arrival);
        Assert.Equal("1", change.Id);
        Assert.Equal(10, change.Json["onHand"]!.GetValue<long>());
    }

    private static async Task PostAsync(ApiTestHost api, string body)
    {
        var path = body.Contains("\"type\"", StringComparison.Ordinal) ? "/api/events?wait=true" : "/api/sales?wait=true";
        using var response = await api.Http.PostRawAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} {body}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
