using System.Net;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Xunit.Abstractions;

namespace InventoryOrleans.Silo.Tests;

/// <summary>
/// The embedded-default executable killed with SIGKILL (no shutdown code runs) and restarted on the same data
/// directories: Garnet's append-only file and the DevBroker's log must carry everything across.
/// </summary>
public sealed class SiloCrashTests(ITestOutputHelper output) : SiloTestBase(output)
{
    private const string ServiceId = "inventory-orleans";

    // How far ahead the reservation expires: time for the event to be applied, the kill and a restart on a loaded machine.
    private static readonly TimeSpan ExpiryLead = TimeSpan.FromSeconds(20);

    // docs/CONTRACTS.md: a reservation past expiresAt is released within 5 s, also after a restart.
    private static readonly TimeSpan ExpiryBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Silo_SigkilledWhileConsuming_RestartedOnSameDataEveryEventDecidedAndStateMatchesModel()
    {
        var workingDirectory = NewDirectory("silo-crash-");
        var ports = SiloPorts.Free();
        var events = ScenarioGenerator.Generate(products: 100, events: 2_000, duplicateShare: 0.05, seed: 21, productPrefix: "crash");

        var silo = await StartSiloAsync("silo", workingDirectory, ports);
        await silo.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        using var client = new KafkaTestClient(silo.Bootstrap);

        // Half the events in one burst, the rest as a stream that goes on across the crash. The kill comes as soon as
        // the first outcomes show: the silo is deciding the burst, with decisions persisted but not all published or
        // committed, so the restarted silo gets messages delivered again.
        foreach (var e in events.Take(1_000))
        {
            client.Produce(KafkaTestClient.TopicOf(e), e);
        }

        client.Flush();
        var feeding = EventFeed.StartAsync(client, [.. events.Skip(1_000)], chunks: 20, tick: TimeSpan.FromMilliseconds(100));
        long published = 0;
        await Eventually.TrueAsync(() => (published = client.LogEnd(Topics.Outcomes)) > 0, SiloTimeouts.Arrival, "the silo publishes its first outcomes");
        await silo.Process.KillAsync();
        Log($"SIGKILL right after {published} outcomes were seen");
        Assert.True(published < events.Count, $"the silo had decided every event ({published}) before the kill; the test did not crash it mid-stream");

        var again = await StartSiloAsync("silo-restarted", workingDirectory, ports);
        await again.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        Log("restarted silo ready");
        await feeding.WaitAsync(SiloTimeouts.Drain);
        await SiloWaits.AllCommittedAsync(client, SiloTimeouts.Drain);
        Log("every input message committed");

        await using var stored = new StoredProducts(again.GarnetConnectionString, ServiceId);
        var summary = await new PipelineVerifier(client, stored).VerifyAsync();
        Log($"verified: {summary}; {summary.Outcomes - summary.ValidMessages} outcome records repeated for messages delivered again");
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.Equal(100, summary.Products);

        // What the restarted silo serves is what it stored (and so what the model says).
        foreach (var productId in events.Select(e => e.ProductId).Distinct())
        {
            await AssertServedAsync(again, productId, await stored.StockAsync(productId));
        }
    }

    [Fact]
    public async Task Silo_SigkilledBeforeReservationExpires_RestartedSiloReleasesItWithinFiveSecondsOfExpiresAt()
    {
        var workingDirectory = NewDirectory("silo-expiry-");
        var ports = SiloPorts.Free();
        const string productId = "expiring-1";

        var silo = await StartSiloAsync("silo", workingDirectory, ports);
        await silo.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        using var client = new KafkaTestClient(silo.Bootstrap);
        using var netStock = new TopicTail(silo.Bootstrap, Topics.NetStock, client.Partitions(Topics.NetStock).Count);
        using var outcomes = new TopicTail(silo.Bootstrap, Topics.Outcomes, client.Partitions(Topics.Outcomes).Count);

        // Whole seconds: what the grain compares with is exactly what the event says.
        var now = DateTimeOffset.UtcNow;
        var expiresAt = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero) + ExpiryLead;
        client.Produce(Topics.Events, new InventoryEvent("receipt-1", InventoryEventType.Receipt, productId, 10, now));
        client.Produce(Topics.Events, new InventoryEvent("reserve-1", InventoryEventType.Reservation, productId, 4, now, ReservationId: "cart-1", ExpiresAt: expiresAt));
        client.Flush();
        await Eventually.TrueAsync(
            () => outcomes.Records.Any(r => r.Value.GetProperty("eventId").GetString() == "reserve-1" && r.Value.GetProperty("status").GetString() == "Applied"),
            SiloTimeouts.Arrival,
            "the reservation is applied");
        var held = await SiloWaits.StockAsync(Http, silo, productId, s => s.GetProperty("version").GetInt64() == 2);
        Assert.Equal(4, held.GetProperty("reserved").GetInt64());

        await silo.Process.KillAsync();
        var killedAhead = expiresAt - DateTimeOffset.UtcNow;
        Log($"SIGKILL {killedAhead.TotalSeconds:0.0} s before expiresAt");
        Assert.True(killedAhead > TimeSpan.Zero, "the silo must be killed before the reservation expires");

        var again = await StartSiloAsync("silo-restarted", workingDirectory, ports);
        await again.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        var readyAhead = expiresAt - DateTimeOffset.UtcNow;
        Log($"restarted silo ready {readyAhead.TotalSeconds:0.0} s before expiresAt");

        // The release is published on its own (no event arrives); wait a little past the bound to report how late it is.
        TailRecord? released = null;
        await Eventually.TrueAsync(
            () => (released = netStock.Records.FirstOrDefault(r => r.Key == productId && r.Value.GetProperty("version").GetInt64() == 3)) is not null,
            ExpiryLead + TimeSpan.FromSeconds(60),
            "the expiry's net stock is published");
        var late = released!.SeenAt - expiresAt;
        Log($"release seen on {Topics.NetStock} {late.TotalSeconds:0.000} s after expiresAt");

        var record = released.Value;
        Assert.Equal(0, record.GetProperty("reserved").GetInt64());
        Assert.Equal(10, record.GetProperty("onHand").GetInt64());
        Assert.Equal(10, record.GetProperty("available").GetInt64());
        Assert.Equal("reserve-1", record.GetProperty("lastEventId").GetString());
        Assert.True(record.GetProperty("updatedAt").GetDateTimeOffset() >= expiresAt, $"released at {record.GetProperty("updatedAt")}, before expiresAt {expiresAt:O}");
        Assert.True(
            late <= ExpiryBound,
            $"the reservation was released {late.TotalSeconds:0.000} s after expiresAt (bound {ExpiryBound.TotalSeconds} s); the restarted silo was ready {readyAhead.TotalSeconds:0.0} s before expiresAt");

        var served = await SiloWaits.StockAsync(Http, again, productId, s => s.GetProperty("version").GetInt64() == 3);
        Assert.Equal(0, served.GetProperty("reserved").GetInt64());
        Assert.Equal(10, served.GetProperty("available").GetInt64());
        Assert.DoesNotContain(netStock.Records, r => r.Key == productId && r.Value.GetProperty("version").GetInt64() > 3);
    }

    private async Task AssertServedAsync(SiloProcess silo, string productId, StockView? stored)
    {
        var (status, served) = await silo.GetStockAsync(Http, productId);
        if (stored is null || stored.Version == 0)
        {
            Assert.True(status == HttpStatusCode.NotFound, $"{productId}: {status}, nothing stored");
            return;
        }

        Assert.True(status == HttpStatusCode.OK, $"{productId}: {status}");
        var because = $"{productId} served {served}, stored {stored}";
        Assert.True(stored.Version == served.GetProperty("version").GetInt64(), because);
        Assert.True(stored.OnHand == served.GetProperty("onHand").GetInt64(), because);
        Assert.True(stored.Reserved == served.GetProperty("reserved").GetInt64(), because);
        Assert.True(stored.InTransit == served.GetProperty("inTransit").GetInt64(), because);
        Assert.True(stored.Available == served.GetProperty("available").GetInt64(), because);
    }
}
