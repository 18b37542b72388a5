using System.Diagnostics.Metrics;
using Grpc.Core;
using InventoryOrleans.Api.Grpc.Tests.Support;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>
/// WatchStock with a client that stops reading (HTTP/2 flow control then blocks the server's writes): what waits on
/// the server is the newest stock of each product, and once a change waited longer than <c>Watch:MaxLag</c> the
/// call ends with RESOURCE_EXHAUSTED saying why. The host runs on a manual clock, so the lag is what the test says;
/// the changes are published on the product's stock stream as its grain publishes them.
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

        // 10,000 changes while the client reads nothing: far more than an HTTP/2 stream window holds.
        const int changes = 10_000;
        await PublishAsync(api.Cluster.Grains, productId, changes);

        await Eventually.TrueAsync(
            () =>
            {
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
        await Eventually.TrueAsync(async () => await StockSubscriptions.CountAsync(api.Cluster.Grains, productId) == 0, Patience, "the watch's stream subscription is removed");
        Assert.Equal(0, readings.Sum("inventory.watch.active"));
    }

    // Versions 1, 2, … of the product published on its stream in order, as its grain publishes each persisted change.
    private static async Task PublishAsync(IClusterClient orleans, string productId, int changes)
    {
        var stream = orleans.GetStreamProvider(StockStreams.ProviderName).GetStream<StockView>(StockStreams.Of(productId));
        for (var version = 1; version <= changes; version++)
        {
            var locations = new Dictionary<string, long> { ["default"] = version };
            await stream.OnNextAsync(new StockView(productId, version, 0, 0, version, version, $"e-{version}", DateTimeOffset.UtcNow, locations));
        }
    }
}
