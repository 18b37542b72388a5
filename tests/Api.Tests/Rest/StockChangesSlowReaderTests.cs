using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Metrics;
using Microsoft.Extensions.DependencyInjection;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>
/// GET /api/stock/{productId}/changes with a client that reads nothing (<see cref="StalledSseReader"/>): what waits
/// on the server is the newest stock of each watched product, not every change, seen through the host's own
/// metrics; a reader that stays behind longer than <c>Watch:MaxLag</c> is ended. The changes are written to
/// <c>inventory.net-stock</c> as the pipeline writes them (<see cref="NetStockRecords"/>), and reach the watch through the
/// host's tail: the pipeline could not be driven to thousands of changes of a few products within a test. Each host runs on a manual
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

            await WatchedAsync(host, products);
            const int perProduct = 3_334;

            // The tail hands the records to the watch after they are written; on a loaded machine the watch would still be
            // taking changes (and sending each to a reader that now reads) when the reading starts.
            var delivered = Observe(host, products, perProduct);
            Publish(products, perProduct);
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
        await WatchedAsync(host, [productId]);
        await OverrunAsync(productId, time, readings);

        // What waited is dropped; the reader, reading again within another MaxLag, gets what was on its way, then the end.
        Assert.Equal(0, readings.Sum(Pending));
        var received = await reader.ReadToEndAsync(Patience);
        var end = EndEvent().Match(received);
        Assert.True(end.Success, $"an end event closes the stream: …{received[^Math.Min(400, received.Length)..]}");
        Assert.Contains("Watch:MaxLag", end.Groups["data"].Value, StringComparison.Ordinal);
        Assert.Equal(received.Length, end.Index + end.Length);
        await Eventually.TrueAsync(() => Subscriptions(host, productId) == 0, Patience, "the watch's subscription on the host's tail is removed");
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
        await WatchedAsync(host, [productId]);
        await OverrunAsync(productId, time, readings);

        // It does not take its end either: once another MaxLag passed, its blocked write gives up and the watch goes.
        time.Advance(MaxLag);

        await Eventually.TrueAsync(() => Subscriptions(host, productId) == 0, Patience, "the watch's subscription on the host's tail is removed");
        await Eventually.TrueAsync(() => readings.Sum(Active) == 0, Patience, "the watch is closed");
        var received = await reader.ReadToEndAsync(Patience);
        Assert.True(reader.Ended);
        Assert.DoesNotContain("event: end", received, StringComparison.Ordinal);
    }

    // Goes on writing changes of the product (the tail hands a burst to the watch faster than it writes, and the watch
    // keeps only the newest, so it takes a few bursts to fill the reader's buffers) and moves the host's clock on by a
    // quarter of the lag at a time (how often the watch looks) until the watch is overrun, and no further: the cut-off
    // comes one MaxLag after that.
    private async Task OverrunAsync(string productId, ManualTimeProvider time, MeterReadings readings)
    {
        var version = 0L;
        await Eventually.TrueAsync(
            async () =>
            {
                NetStockRecords.Publish(cluster.Kafka, [productId], version + 1, version + 200);
                version += 200;
                await Task.Delay(TimeSpan.FromMilliseconds(200));
                time.Advance(MaxLag / 4);
                return readings.Sum(Overruns) == 1;
            },
            Patience,
            "the watch is overrun");
    }

    // 'perProduct' changes of each product, versions 1, 2, …, written to inventory.net-stock in order.
    private void Publish(IReadOnlyList<string> products, int perProduct) => NetStockRecords.Publish(cluster.Kafka, products, perProduct);

    // A subscriber of its own on the host's hub for each product; the function returned waits until each got version
    // 'last' (by then the watch's subscription, handed each record before or after it on the same thread, has had them
    // too) and unsubscribes.
    private static Func<Task> Observe(ApiTestHost host, IReadOnlyList<string> products, long last)
    {
        var hub = host.Services.GetRequiredService<StockChangeHub>();
        var subscriptions = new List<IDisposable>();
        var delivered = new List<Task>();
        foreach (var productId in products)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            subscriptions.Add(hub.Subscribe(productId, view =>
            {
                if (view.Version >= last)
                {
                    seen.TrySetResult();
                }
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
                subscriptions.ForEach(s => s.Dispose());
            }
        };
    }

    // Subscribed, and the host's tail knows where it starts (a watch reads its grains only after that): whatever is
    // written from now on reaches the watch.
    private static async Task WatchedAsync(ApiTestHost host, IReadOnlyList<string> products)
    {
        await Eventually.TrueAsync(
            () => products.All(productId => Subscriptions(host, productId) == 1),
            Patience,
            "each product has the watch's subscription on the host's tail");
        await host.Services.GetRequiredService<NetStockTail>().Reading.WaitAsync(Patience);
    }

    private static int Subscriptions(ApiTestHost host, string productId) => host.Services.GetRequiredService<StockChangeHub>().SubscribersOf(productId);

    private static List<long> Versions(string received) =>
        [.. StockId().Matches(received).Select(m => long.Parse(m.Groups["version"].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"event: stock\nid: (?<version>\d+)\n")]
    private static partial Regex StockId();

    [GeneratedRegex(@"event: end\ndata: (?<data>[^\n]*)\n\n")]
    private static partial Regex EndEvent();
}
