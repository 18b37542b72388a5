using System.Net;
using System.Text;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using Microsoft.Extensions.DependencyInjection;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Api.Tests.Watching;

/// <summary>
/// The live change path when things fail, on a cluster of its own (one silo, so the test owns every batch): a
/// transaction that aborts shows nothing to a watcher (only its committed retry does), and a broker that goes down and
/// comes back is waited out by the host's tail, which goes on with the later changes, none repeated or out of order.
/// </summary>
public sealed class StockChangesFailureTests : IAsyncLifetime
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(90);
    private InventoryTestCluster? _cluster;
    private ApiTestHost? _api;

    private InventoryTestCluster Cluster => _cluster!;

    private ApiTestHost Api => _api!;

    [Fact]
    public async Task Watch_BatchWhoseTransactionAborts_NothingShownUntilItsRetryCommits_ThenItsStockOnce()
    {
        var productId = Products.New("aborted");
        await using var sse = await SseClient.OpenAsync(Api.BaseAddress, $"/api/stock/{productId}/changes");
        await Eventually.TrueAsync(() => Api.Services.GetRequiredService<StockChangeHub>().SubscribersOf(productId) == 1, Arrival, "the watch subscribed");

        // The first attempt of the next batch has its offsets refused (its transaction aborts, the batch is read again);
        // the retry is held right after it is applied, before anything of it is published.
        using var release = new ManualResetEventSlim();
        var applied = 0;
        var faults = Service<BatchFaults>(Cluster.Silos[0]);
        void OnApplied()
        {
            switch (Interlocked.Increment(ref applied))
            {
                case 1:
                    Cluster.Broker!.Faults.StaleNextTxnOffsetCommit();
                    break;
                case 2:
                    release.Wait(Arrival);
                    break;
            }
        }

        faults.Applied += OnApplied;
        try
        {
            await PostAsync($$"""{"type":"Snapshot","productId":"{{productId}}","quantity":4}""");

            // Applied and persisted (the grain has version 1), its first attempt aborted, its retry held: nothing of it is
            // committed, and a watcher must see nothing of it.
            await Eventually.TrueAsync(() => Volatile.Read(ref applied) >= 2, Arrival, "the batch was applied again after its transaction aborted");
            Assert.Equal(1, (await Cluster.Grains.GetProductGrain(productId).GetStockAsync()).Version);
            Assert.DoesNotContain(Cluster.Client!.ReadAll(Topics.NetStock), r => Encoding.UTF8.GetString(r.Message.Key) == productId);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(sse.TryTake(out var early) && early!.Event is not null, $"nothing shown of an aborted transaction, got {early}");
        }
        finally
        {
            release.Set();
            faults.Applied -= OnApplied;
        }

        var first = await sse.NextStockAsync(Arrival);
        Assert.Equal("1", first.Id);
        Assert.Equal(4, first.Json["onHand"]!.GetValue<long>());

        // The committed record came once; the next change follows it, nothing repeated.
        await PostAsync($$"""{"productId":"{{productId}}","quantity":1}""", "/api/sales?wait=true");
        Assert.Equal("2", (await sse.NextStockAsync(Arrival)).Id);
        Assert.False(sse.TryTake(out var extra) && extra!.Event is not null, $"one event per committed change, got also {extra}");
    }

    [Fact]
    public async Task Watch_BrokerDownThenBack_TheTailGoesOnAndWatchersGetTheLaterChangesInOrderOnce()
    {
        var productId = Products.New("broker-restart");
        await PostAsync($$"""{"type":"Receipt","productId":"{{productId}}","quantity":10}""");
        await using var sse = await SseClient.OpenAsync(Api.BaseAddress, $"/api/stock/{productId}/changes");
        Assert.Equal("1", (await sse.NextStockAsync(Arrival)).Id);

        await Cluster.Broker!.RestartAsync(whileDown: () => Task.Delay(TimeSpan.FromSeconds(3)));

        // The same eventIds until answered: a post that failed while clients reconnected is sent again, never twice applied.
        await PostUntilDecidedAsync($$"""{"eventId":"{{productId}}-s1","productId":"{{productId}}","quantity":1}""");
        await PostUntilDecidedAsync($$"""{"eventId":"{{productId}}-s2","productId":"{{productId}}","quantity":2}""");

        var versions = new List<string?>();
        var stock = await sse.NextStockAsync(Arrival);
        versions.Add(stock.Id);
        if (stock.Id == "2")
        {
            stock = await sse.NextStockAsync(Arrival);
            versions.Add(stock.Id);
        }

        // Each post waited for its decision, so version 2 and 3 are committed apart; a watcher may only skip to the newer.
        Assert.Equal("3", versions[^1]);
        Assert.Equal(7, stock.Json["onHand"]!.GetValue<long>());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(sse.TryTake(out var extra) && extra!.Event is not null, $"nothing repeated, got also {extra}");
    }

    public async Task InitializeAsync()
    {
        _cluster = await InventoryTestCluster.StartAsync(silos: 1);
        _api = await ApiTestHost.StartAsync(_cluster.Grains, new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = _cluster.Broker!.BootstrapServers });
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    private async Task PostAsync(string body, string path = "/api/events?wait=true")
    {
        using var response = await Api.Http.PostRawAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} {body}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("Applied", (await response.BodyAsync())!["outcome"]!["status"]!.GetValue<string>());
    }

    private async Task PostUntilDecidedAsync(string body)
    {
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await Api.Http.PostRawAsync("/api/sales?wait=true", body);
                return response.StatusCode == HttpStatusCode.OK;
            },
            Arrival,
            $"{body} is decided after the broker came back");
    }
}
