using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Expiry;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.Runtime;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Tests.Expiry;

public sealed class ExpirySweeperTests : EmbeddedSiloTest
{
    private const int Partitions = 12;

    [Fact]
    public async Task SweepAsync_ManyEarlierDueEntriesOfOtherSilos_StillReleasesOwnedExpiredReservation()
    {
        // The silo's own sweeper is held off (1 h interval) so only the sweeper under test wakes grains.
        await using var silo = await TestSilo.StartAsync("silo-1", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = Broker.BootstrapServers,
            ["Storage:Provider"] = "Sqlite",
            ["Storage:SqlitePath"] = SqlitePath,
            ["Kafka:ExpirySweepIntervalMs"] = "3600000",
        });
        var reminders = silo.Services.GetRequiredService<IReminderTable>();
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        const string owned = "sweep-owned";
        var ownedPartition = Murmur2Partitioner.Partition(owned, Partitions);

        // A sweeper owning one partition, as in a cluster where other silos own the rest.
        var ownership = new PartitionOwnership();
        ownership.SetPartitionCount(Partitions);
        ownership.Add([ownedPartition]);

        // 1,500 due entries of other silos' products, all earlier than the owned product's expiry.
        var others = Enumerable.Range(0, 3_000).Select(i => $"sweep-other-{i}")
            .Where(p => Murmur2Partitioner.Partition(p, Partitions) != ownedPartition)
            .Take(1_500)
            .ToList();
        Assert.Equal(1_500, others.Count);
        foreach (var other in others)
        {
            await reminders.UpsertAsync(ProductGrain.GrainTypeName, other, DateTimeOffset.UtcNow.AddHours(-1));
        }

        var grain = grains.GetGrain<IProductGrain>(owned);
        var now = DateTimeOffset.UtcNow;
        await grain.ApplyAsync(new InventoryEvent("sweep-1", InventoryEventType.Receipt, owned, 10, now));
        await grain.ApplyAsync(new InventoryEvent("sweep-2", InventoryEventType.Reservation, owned, 4, now, ReservationId: "r-1", ExpiresAt: now.AddSeconds(1)));
        await Eventually.TrueAsync(() => DateTimeOffset.UtcNow > now.AddSeconds(1.5), TimeSpan.FromSeconds(10), "the reservation has expired");

        var sweeper = new ExpirySweeper(
            reminders,
            grains,
            ownership,
            silo.Services.GetRequiredService<IngestPublisher>(),
            silo.Services.GetRequiredService<NetStockWriterGate>(),
            silo.Services.GetRequiredService<IngestMetrics>(),
            TimeProvider.System,
            silo.Services.GetRequiredService<IOptions<KafkaOptions>>(),
            NullLogger<ExpirySweeper>.Instance);
        var woken = await sweeper.SweepAsync(CancellationToken.None);

        Assert.Equal(1, woken);
        Assert.Equal(0, (await grain.GetStockAsync()).Reserved);

        // The other silos' entries are theirs to handle: still due, untouched.
        Assert.Equal(1_000, (await reminders.GetDueAsync(ProductGrain.GrainTypeName, DateTimeOffset.UtcNow, 1_000)).Count(others.Contains));
    }
}
