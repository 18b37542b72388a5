using System.Text.Json;
using Grpc.Core;
using InventoryOrleans.Api.Grpc.Tests.Support;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>
/// PostEvent with wait_for_outcome: the grain's decision about the posted message wherever the grain lives (a Duplicate
/// for an eventId decided before: never applied twice), DEADLINE_EXCEEDED when no decision comes in time (the event
/// stays posted).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OutcomeWaitTests(ApiCluster api)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PostEvent_WaitOnAnApiCoHostedOnOneSilo_DecisionsOfProductsOnEitherSilo()
    {
        var silos = api.Cluster.Silos;
        Assert.Equal(2, silos.Count);
        var here = silos[0];
        var elsewhere = silos[1];

        // The Api runs inside the first silo, as in the embedded default, with that silo's own Orleans client.
        await using var coHosted = await api.StartHostAsync(orleans: here.SiloHost.Services.GetRequiredService<IClusterClient>());
        var local = ProductOwnedBy(here, "wait-local");
        var remote = ProductOwnedBy(elsewhere, "wait-remote");

        foreach (var productId in new[] { remote, local })
        {
            var posted = await coHosted.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 6), deadline: Deadline());
            var second = await coHosted.Client.PostEventAsync(Events.Post(EventType.Sale, productId, 2), deadline: Deadline());

            Assert.Equal((OutcomeStatus.Applied, 1L, 6L), (posted.Outcome.Status, posted.Outcome.Version, posted.Outcome.Stock.OnHand));
            Assert.Equal((OutcomeStatus.Applied, 2L, 4L, second.EventId), (second.Outcome.Status, second.Outcome.Version, second.Outcome.Stock.OnHand, second.Outcome.Stock.LastEventId));
        }

        Assert.Contains(Partition(remote), InventoryTestCluster.Ownership(elsewhere).Owned);
        Assert.DoesNotContain(Partition(remote), InventoryTestCluster.Ownership(here).Owned);
    }

    [Fact]
    public async Task PostEvent_SameEventIdTwice_SecondWaitGetsItsDuplicateWithTheStockThenAndTheEventIsAppliedOnce()
    {
        var productId = Events.NewProductId("wait-repeat");
        var eventId = $"receipt-{Guid.NewGuid():N}";
        var first = await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 5, eventId: eventId), deadline: Deadline());
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 1), deadline: Deadline());

        var repeat = await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 5, eventId: eventId), deadline: Deadline());

        Assert.Equal((OutcomeStatus.Applied, "", 1L), (first.Outcome.Status, first.Outcome.Reason, first.Outcome.Version));
        Assert.Equal((OutcomeStatus.Duplicate, "", 2L, 6L), (repeat.Outcome.Status, repeat.Outcome.Reason, repeat.Outcome.Version, repeat.Outcome.Stock.OnHand));
        Assert.Equal(eventId, repeat.EventId);
        Assert.NotEqual((first.Partition, first.Offset), (repeat.Partition, repeat.Offset));

        // Once the repeated message is consumed it is a Duplicate on the outcomes topic, and the stock is unchanged.
        await Eventually.TrueAsync(() => OutcomeOf(repeat) is not null, Patience, "the repeated message is decided");
        Assert.Equal("Duplicate", OutcomeOf(repeat)!.Value.GetProperty("status").GetString());
        var stock = await api.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline());
        Assert.Equal((2L, 6L), (stock.Version, stock.OnHand));
    }

    [Fact]
    public async Task PostEvent_SameEventIdAsARejectedOne_ADuplicateThatChangesNothing()
    {
        var productId = Events.NewProductId("wait-repeat-rejected");
        var eventId = $"reserve-{Guid.NewGuid():N}";
        var rejected = await api.Client.PostEventAsync(Events.Post(EventType.Reservation, productId, 3, eventId: eventId, reservationId: "r"), deadline: Deadline());
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 10), deadline: Deadline());

        var repeat = await api.Client.PostEventAsync(Events.Post(EventType.Reservation, productId, 3, eventId: eventId, reservationId: "r"), deadline: Deadline());

        Assert.Equal((OutcomeStatus.Rejected, RejectionReasons.InsufficientStock, 0L), (rejected.Outcome.Status, rejected.Outcome.Reason, rejected.Outcome.Version));
        Assert.Equal((OutcomeStatus.Duplicate, "", 1L, 0L), (repeat.Outcome.Status, repeat.Outcome.Reason, repeat.Outcome.Version, repeat.Outcome.Stock.Reserved));
        await Eventually.TrueAsync(() => OutcomeOf(repeat) is not null, Patience, "the repeated message is decided");
        var stock = await api.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline());
        Assert.Equal((1L, 0L), (stock.Version, stock.Reserved));
    }

    [Fact]
    public async Task PostEvent_NoDecisionWithinTheTimeout_DeadlineExceededAndTheEventStaysPosted()
    {
        // A broker no silo consumes: the event is produced and will never be decided here.
        await using var broker = await BrokerFixture.StartAsync();
        await using var host = await api.StartHostAsync(
            new Dictionary<string, string?> { ["Api:OutcomeTimeoutMs"] = "300" },
            bootstrapServers: broker.BootstrapServers);
        var productId = Events.NewProductId("wait-timeout");

        var e = await FailsAsync(StatusCode.DeadlineExceeded, () => host.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 1), deadline: Deadline()).ResponseAsync);

        var eventId = e.Trailers.GetValue("event-id");
        Assert.False(string.IsNullOrEmpty(eventId));
        Assert.Contains(eventId, e.Status.Detail, StringComparison.Ordinal);
        using var kafka = new KafkaTestClient(broker.BootstrapServers);
        var record = Assert.Single(kafka.ReadAll(Topics.Events));
        Assert.Equal((e.Trailers.GetValue("partition"), e.Trailers.GetValue("offset")), (record.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), record.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(eventId, JsonDocument.Parse(record.Message.Value).RootElement.GetProperty("eventId").GetString());
    }

    [Fact]
    public async Task PostEvent_WaitForAMessageWhoseDecisionTheProductNoLongerKeeps_NotFoundWithWhereItWent()
    {
        // A product that remembers two decisions, on a silo without ingest, and a broker no silo consumes: the test
        // decides the messages itself, as the ingest would, through the product grain.
        await using var silo = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?> { ["ProductGrain:DedupWindowSize"] = "2" }, ingest: false);
        await using var broker = await BrokerFixture.StartAsync();
        await using var host = await api.StartHostAsync(orleans: silo.Grains, bootstrapServers: broker.BootstrapServers);
        var productId = Events.NewProductId("wait-forgotten");
        var first = await host.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 1, wait: false, eventId: "f-0"), deadline: Deadline());

        // The product's next message (offset + 1) is decided, then two more push its decision out of the window.
        await silo.Grains.GetGrain<IProductGrain>(productId).ApplyBatchAsync(
            [.. Enumerable.Range(1, 3).Select(i => new PositionedEvent(
                new Grains.Interfaces.InventoryEvent($"f-{i}", InventoryEventType.Receipt, productId, 1, DateTimeOffset.UtcNow),
                new EventPosition(first.Topic, first.Partition, first.Offset + i)))],
            new PublicationTicket(first.Partition, 1, 0, 1));

        var e = await FailsAsync(StatusCode.NotFound, () => host.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 1, eventId: "f-1"), deadline: Deadline()).ResponseAsync);

        Assert.Equal(("f-1", first.Topic), (e.Trailers.GetValue("event-id"), e.Trailers.GetValue("topic")));
        Assert.Equal((first.Partition, first.Offset + 1), (int.Parse(e.Trailers.GetValue("partition")!, System.Globalization.CultureInfo.InvariantCulture), long.Parse(e.Trailers.GetValue("offset")!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(Topics.Outcomes, e.Status.Detail, StringComparison.Ordinal);
    }

    private string ProductOwnedBy(Orleans.TestingHost.InProcessSiloHandle silo, string prefix)
    {
        var owned = InventoryTestCluster.Ownership(silo).Owned;
        for (var i = 0; ; i++)
        {
            var productId = Events.NewProductId($"{prefix}-{i}");
            if (owned.Contains(Partition(productId)))
            {
                return productId;
            }
        }
    }

    private int Partition(string productId) => Ingest.Kafka.Murmur2Partitioner.Partition(productId, api.Cluster.Client!.Partitions(Topics.Events).Count);

    // The outcome record of the message the response names, once the silo has published it.
    private JsonElement? OutcomeOf(PostEventResponse posted)
    {
        foreach (var record in api.Cluster.Client!.ReadAll(Topics.Outcomes))
        {
            var outcome = JsonDocument.Parse(record.Message.Value).RootElement;
            if (outcome.GetProperty("topic").GetString() == posted.Topic
                && outcome.GetProperty("partition").GetInt32() == posted.Partition
                && outcome.GetProperty("offset").GetInt64() == posted.Offset)
            {
                return outcome.Clone();
            }
        }

        return null;
    }
}
