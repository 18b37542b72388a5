using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>
/// GET /api/stock/{productId}/changes with a client that reads nothing (<see cref="StalledSseReader"/>): what waits
/// on the server is the newest stock of each watched product, not every change, seen through the host's own
/// metrics; a reader that stays behind longer than <c>Watch:MaxLag</c> is ended. The changes are published on the
/// products' stock streams exactly as their grains publish them (a grain publishes once per persisted change): the
/// pipeline could not be driven to thousands of changes of a few products within a test. Each host runs on a manual
/// clock, so the lag is what the test says, however slowly a loaded machine delivers, and with small socket send
/// buffers (<see cref="SmallSendBuffers"/>), so a client that reads nothing blocks its writes as over a network.
/// </summary>
[Collection(ApiClusterCollection.Name)]
public sealed partial class StockChangesSlowReaderTests(ApiCluster cluster)
{
    private const string Pending = "inventory.watch.pending";
    private const string Active = "inventory.watch.active";
    private const string Overruns = "inventory.watch.overruns";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Watch_ReadersReadNothingWhile10000ChangesArrive_OneStockWaitsPerWatchAndEachReaderGetsTheNewest()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await cluster.StartHostAsync(cluster.Settings(), time: time, services: SmallSendBuffers.Configure);
        using var readings = new MeterReadings(host.Services.GetRequiredService<IMeterFactory>(), ApiMeter.Name);
        var products = new[] { Products.New("slow-a"), Products.New("slow-b"), Products.New("slow-c") };
        var readers = new List<StalledSseReader>();
        try
        {
            foreach (var productId in products)
            {
                readers.Add(await StalledSseReader.OpenAsync(host.BaseAddress, $"/api/stock/{productId}/changes"));
            }

            await WatchedAsync(products);
            const int perProduct = 3_334;

            // Orleans delivers a stream's items to its subscribers after OnNextAsync returns; on a loaded machine the
            // watch would still be taking changes (and sending each to a reader that now reads) when the reading starts.
            var delivered = await ObserveAsync(products, perProduct);
            await PublishAsync(products, perProduct);
            await delivered();

            // Read now: first what the socket buffers hold, then the newest stock each watch kept.
            for (var i = 0; i < products.Length; i++)
            {
                var newest = $"\nid: {perProduct}\n";
                var received = await readers[i].ReadUntilAsync(text => text.Contains(newest, StringComparison.Ordinal), Patience, $"{products[i]}'s newest stock (version {perProduct}) arrives");
                var versions = Versions(received);
                Assert.True(versions.Zip(versions.Skip(1)).All(p => p.First < p.Second), $"versions rise: {string.Join(",", versions.Take(20))}…");

                // The reader fell behind and skipped to the newest: every change queued for it would have been sent.
                Assert.True(versions.Count < perProduct / 2, $"{versions.Count} of {perProduct} changes were sent to a reader that read nothing while they came");
            }

            Assert.InRange(readings.Peak(Pending), 1, products.Length);
            Assert.Equal(0, readings.Sum(Pending));
            Assert.Equal(products.Length, readings.Sum(Active));
        }
        finally
        {
            readers.ForEach(r => r.Dispose());
        }

        await Eventually.TrueAsync(() => readings.Sum(Active) == 0, Patience, "the watches closed with their clients");
    }

    [Fact]
    public async Task Watch_ReaderLeavesAChangeUnreadLongerThanMaxLag_EndEventSayingWhyThenTheStreamEnds()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await cluster.StartHostAsync(cluster.Settings(("Watch:MaxLag", MaxLag.ToString())), time: time, services: SmallSendBuffers.Configure);
        using var readings = new MeterReadings(host.Services.GetRequiredService<IMeterFactory>(), ApiMeter.Name);
        var productId = Products.New("overrun");
        using var reader = await StalledSseReader.OpenAsync(host.BaseAddress, $"/api/stock/{productId}/changes");
        await WatchedAsync([productId]);
        await PublishAsync([productId], 3_000);

        await OverrunAsync(time, readings);

        // What waited is dropped; the reader, reading again within another MaxLag, gets what was on its way, then the end.
        Assert.Equal(0, readings.Sum(Pending));
        var received = await reader.ReadToEndAsync(Patience);
        var end = EndEvent().Match(received);
        Assert.True(end.Success, $"an end event closes the stream: …{received[^Math.Min(400, received.Length)..]}");
        Assert.Contains("Watch:MaxLag", end.Groups["data"].Value, StringComparison.Ordinal);
        Assert.Equal(received.Length, end.Index + end.Length);
        await Eventually.TrueAsync(async () => await SubscriptionsAsync(productId) == 0, Patience, "the watch's stream subscription is removed");
        await Eventually.TrueAsync(() => readings.Sum(Active) == 0, Patience, "the watch is closed");
    }

    [Fact]
    public async Task Watch_ReaderReadsNothingForTwiceMaxLag_ConnectionDroppedAndSubscriptionRemoved()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await cluster.StartHostAsync(cluster.Settings(("Watch:MaxLag", MaxLag.ToString())), time: time, services: SmallSendBuffers.Configure);
        using var readings = new MeterReadings(host.Services.GetRequiredService<IMeterFactory>(), ApiMeter.Name);
        var productId = Products.New("cut-off");
        using var reader = await StalledSseReader.OpenAsync(host.BaseAddress, $"/api/stock/{productId}/changes");
        await WatchedAsync([productId]);
        await PublishAsync([productId], 3_000);
        await OverrunAsync(time, readings);

        // It does not take its end either: once another MaxLag passed, its blocked write gives up and the watch goes.
        time.Advance(MaxLag);

        await Eventually.TrueAsync(async () => await SubscriptionsAsync(productId) == 0, Patience, "the watch's stream subscription is removed");
        await Eventually.TrueAsync(() => readings.Sum(Active) == 0, Patience, "the watch is closed");
        var received = await reader.ReadToEndAsync(Patience);
        Assert.True(reader.Ended);
        Assert.DoesNotContain("event: end", received, StringComparison.Ordinal);
    }

    // Moves the host's clock on by a quarter of the lag at a time (how often the watch looks) until the watch is
    // overrun, and no further: the cut-off comes one MaxLag after that.
    private static async Task OverrunAsync(ManualTimeProvider time, MeterReadings readings)
    {
        await Eventually.TrueAsync(
            () =>
            {
                time.Advance(MaxLag / 4);
                return readings.Sum(Overruns) == 1;
            },
            Patience,
            "the watch is overrun");
    }

    // 'perProduct' changes of each product, versions 1, 2, …, published on its stream in order (products in parallel).
    private Task PublishAsync(IReadOnlyList<string> products, int perProduct)
    {
        var streams = cluster.Inventory.Grains.GetStreamProvider(StockStreams.ProviderName);
        return Task.WhenAll(products.Select(async productId =>
        {
            var stream = streams.GetStream<StockView>(StockStreams.Of(productId));
            for (var version = 1; version <= perProduct; version++)
            {
                var locations = new Dictionary<string, long> { ["default"] = version };
                await stream.OnNextAsync(new StockView(productId, version, 0, 0, version, version, $"e-{version}", DateTimeOffset.UtcNow, locations));
            }
        }));
    }

    // A subscriber of each product's stream of its own; the function returned waits until each got version 'last' (by
    // then the watch's subscription, delivered by the same pulling agent, has had them too) and unsubscribes.
    private async Task<Func<Task>> ObserveAsync(IReadOnlyList<string> products, long last)
    {
        var streams = cluster.Inventory.Grains.GetStreamProvider(StockStreams.ProviderName);
        var handles = new List<StreamSubscriptionHandle<StockView>>();
        var delivered = new List<Task>();
        foreach (var productId in products)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            handles.Add(await streams.GetStream<StockView>(StockStreams.Of(productId)).SubscribeAsync((view, _) =>
            {
                if (view.Version >= last)
                {
                    seen.TrySetResult();
                }

                return Task.CompletedTask;
            }));
            delivered.Add(seen.Task);
        }

        return async () =>
        {
            try
            {
                await Task.WhenAll(delivered).WaitAsync(Patience);
            }
            finally
            {
                foreach (var handle in handles)
                {
                    await handle.UnsubscribeAsync();
                }
            }
        };
    }

    private Task WatchedAsync(IReadOnlyList<string> products) => Eventually.TrueAsync(
        async () => (await Task.WhenAll(products.Select(SubscriptionsAsync))).All(count => count == 1),
        Patience,
        "each product's stream has the watch's subscription");

    private async Task<int> SubscriptionsAsync(string productId) =>
        (await cluster.Inventory.Grains.GetStreamProvider(StockStreams.ProviderName).GetStream<StockView>(StockStreams.Of(productId)).GetAllSubscriptionHandles()).Count;

    private static List<long> Versions(string received) =>
        [.. StockId().Matches(received).Select(m => long.Parse(m.Groups["version"].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"event: stock\nid: (?<version>\d+)\n")]
    private static partial Regex StockId();

    [GeneratedRegex(@"event: end\ndata: (?<data>[^\n]*)\n\n")]
    private static partial Regex EndEvent();
}
