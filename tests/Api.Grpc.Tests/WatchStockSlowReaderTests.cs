using System.Diagnostics.Metrics;
using Grpc.Core;
using InventoryOrleans.Api.Grpc.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Kafka;
using InventoryOrleans.TestSupport.Metrics;
using Microsoft.Extensions.DependencyInjection;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>
/// WatchStock with a client that stops reading (HTTP/2 flow control then blocks the server's writes): what waits on
/// the server is the newest stock of each product, and once a change waited longer than <c>Watch:MaxLag</c> the
/// call ends with RESOURCE_EXHAUSTED saying why. The host runs on a manual clock, so the lag is what the test says;
/// the changes are written to <c>inventory.net-stock</c> as the pipeline writes them and reach the watch through the host's tail.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WatchStockSlowReaderTests(ApiCluster api)
{
    private const string ApiMeter = "InventoryOrleans.Api";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WatchStock_ClientStopsReadingLongerThanMaxLag_WhatWasOnItsWayThenResourceExhaustedSayingWhy()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await api.StartHostAsync(new Dictionary<string, string?> { ["Watch:MaxLag"] = MaxLag.ToString() }, time: time);
        using var readings = new MeterReadings(host.Services.GetRequiredService<IMeterFactory>(), ApiMeter);
        var productId = Events.NewProductId("watch-overrun");
        using var call = host.Client.WatchStock(new WatchStockRequest { ProductIds = { productId } }, deadline: Deadline(300));
        await call.ResponseHeadersAsync;

        // Changes while the client reads nothing, in bursts of 200 until the watch is overrun: far more than an HTTP/2
        // stream window holds (the tail hands a burst to the watch faster than it writes, and the watch keeps only the
        // newest, so it takes a few bursts to fill the window).
        var changes = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                NetStockRecords.Publish(api.Cluster.Client!, [productId], changes + 1, changes + 200);
                changes += 200;
                await Task.Delay(TimeSpan.FromMilliseconds(200));
                time.Advance(MaxLag / 4);
                return readings.Sum("inventory.watch.overruns") == 1;
            },
            Patience,
            "the watch is overrun");
        Assert.Equal(1, readings.Peak("inventory.watch.pending"));
        Assert.Equal(0, readings.Sum("inventory.watch.pending"));

        var versions = new List<long>();
        var ended = await FailsAsync(StatusCode.ResourceExhausted, async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                versions.Add(call.ResponseStream.Current.Version);
            }
        });

        Assert.Contains("Watch:MaxLag", ended.Status.Detail, StringComparison.Ordinal);
        Assert.True(versions.Count < changes / 2, $"{versions.Count} of {changes} changes were sent to a client that read none while they came");
        Assert.True(versions.Zip(versions.Skip(1)).All(p => p.First < p.Second), "versions rise");
        await Eventually.TrueAsync(() => StockSubscriptions.Count(host.Services, productId) == 0, Patience, "the watch's subscription on the host's tail is removed");
        Assert.Equal(0, readings.Sum("inventory.watch.active"));
    }

}
