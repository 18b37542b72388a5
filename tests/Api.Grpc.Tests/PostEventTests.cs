using System.Text.Json;
using Grpc.Core;
using InventoryOrleans.Api.Grpc.Tests.Support;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>
/// PostEvent: the proto event produced as the contract's JSON to its input topic (defaults filled in), validated as the
/// ingest validates (INVALID_ARGUMENT, nothing produced), and with wait_for_outcome the grain's decision.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PostEventTests(ApiCluster api)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PostEvent_EveryFieldSet_ProducesTheContractJsonToItsInputTopicWithoutWaiting()
    {
        var productId = Events.NewProductId("post-full");
        var request = Events.Post(EventType.Sale, productId, 3, wait: false, eventId: $"sale-{Guid.NewGuid():N}");
        request.Event.OccurredAt = Events.At("2026-01-31T12:00:00.25Z");
        request.Event.LocationId = "store-7";
        request.Event.Source = "POS";
        request.Event.CorrelationId = "order-42";

        var posted = await api.Client.PostEventAsync(request, deadline: Deadline());

        Assert.Equal(request.Event.EventId, posted.EventId);
        Assert.Equal(Topics.Sales, posted.Topic);
        Assert.Equal(Murmur2Partitioner.Partition(productId, api.Cluster.Client!.Partitions(Topics.Sales).Count), posted.Partition);
        Assert.Null(posted.Outcome);
        using var json = RecordAt(posted);
        var root = json.RootElement;
        Assert.Equal(request.Event.EventId, root.GetProperty("eventId").GetString());
        Assert.Equal("Sale", root.GetProperty("type").GetString());
        Assert.Equal(productId, root.GetProperty("productId").GetString());
        Assert.Equal(3, root.GetProperty("quantity").GetInt64());
        Assert.Equal(DateTimeOffset.Parse("2026-01-31T12:00:00.25Z", System.Globalization.CultureInfo.InvariantCulture), root.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal("store-7", root.GetProperty("locationId").GetString());
        Assert.Equal("POS", root.GetProperty("source").GetString());
        Assert.Equal("order-42", root.GetProperty("correlationId").GetString());
        Assert.False(root.TryGetProperty("reservationId", out _));
        Assert.False(root.TryGetProperty("expiresAt", out _));

        await Eventually.TrueAsync(
            async () => await StockOrNullAsync(productId) is { Version: 1, OnHand: -3 } stock && stock.Locations["store-7"] == -3,
            Patience,
            "the posted sale is applied");
    }

    [Fact]
    public async Task PostEvent_OptionalFieldsEmpty_NewEventIdServerClockDefaultLocationAndSourceApi()
    {
        var productId = Events.NewProductId("post-defaults");
        var before = DateTimeOffset.UtcNow;

        var posted = await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 5), deadline: Deadline());

        Assert.False(string.IsNullOrEmpty(posted.EventId));
        Assert.Equal(Topics.Events, posted.Topic);
        using var json = RecordAt(posted);
        var root = json.RootElement;
        Assert.Equal(posted.EventId, root.GetProperty("eventId").GetString());
        Assert.InRange(root.GetProperty("occurredAt").GetDateTimeOffset(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("API", root.GetProperty("source").GetString());
        Assert.False(root.TryGetProperty("locationId", out _));
        Assert.False(root.TryGetProperty("correlationId", out _));

        Assert.Equal(OutcomeStatus.Applied, posted.Outcome.Status);
        Assert.Equal("", posted.Outcome.Reason);
        Assert.Equal(1, posted.Outcome.Version);
        Assert.Equal(new Dictionary<string, long> { ["default"] = 5 }, posted.Outcome.Stock.Locations);
    }

    [Fact]
    public async Task PostEvent_ReservationWithExpiry_ProducedWithReservationIdAndExpiresAtAndApplied()
    {
        var productId = Events.NewProductId("post-reservation");
        await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 10), deadline: Deadline());
        var request = Events.Post(EventType.Reservation, productId, 4, reservationId: "cart-1");
        request.Event.ExpiresAt = Timestamp(DateTimeOffset.UtcNow.AddHours(1));

        var posted = await api.Client.PostEventAsync(request, deadline: Deadline());

        using var json = RecordAt(posted);
        Assert.Equal("Reservation", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("cart-1", json.RootElement.GetProperty("reservationId").GetString());
        Assert.Equal(request.Event.ExpiresAt.ToDateTimeOffset(), json.RootElement.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(OutcomeStatus.Applied, posted.Outcome.Status);
        Assert.Equal((2L, 10L, 4L, 6L), (posted.Outcome.Version, posted.Outcome.Stock.OnHand, posted.Outcome.Stock.Reserved, posted.Outcome.Stock.Available));
    }

    [Fact]
    public async Task PostEvent_WaitForARejection_RejectedWithReasonAndUnchangedVersionAndStock()
    {
        var productId = Events.NewProductId("post-rejected");
        var receipt = await api.Client.PostEventAsync(Events.Post(EventType.Receipt, productId, 2), deadline: Deadline());

        var posted = await api.Client.PostEventAsync(Events.Post(EventType.Reservation, productId, 5, reservationId: "too-big"), deadline: Deadline());

        Assert.Equal(OutcomeStatus.Rejected, posted.Outcome.Status);
        Assert.Equal(RejectionReasons.InsufficientStock, posted.Outcome.Reason);
        Assert.Equal(1, posted.Outcome.Version);
        Assert.Equal((1L, 2L, 0L, receipt.EventId), (posted.Outcome.Stock.Version, posted.Outcome.Stock.OnHand, posted.Outcome.Stock.Reserved, posted.Outcome.Stock.LastEventId));
    }

    [Fact]
    public async Task PostEvent_ForAProductNeverApplied_RejectionReportsVersionZeroAndZeros()
    {
        var productId = Events.NewProductId("post-never");

        var posted = await api.Client.PostEventAsync(Events.Post(EventType.ReservationRelease, productId, 0, reservationId: "none"), deadline: Deadline());

        Assert.Equal(OutcomeStatus.Rejected, posted.Outcome.Status);
        Assert.Equal(RejectionReasons.UnknownReservation, posted.Outcome.Reason);
        Assert.Equal(0, posted.Outcome.Version);
        Assert.Equal((productId, 0L, 0L, 0L), (posted.Outcome.Stock.ProductId, posted.Outcome.Stock.Version, posted.Outcome.Stock.OnHand, posted.Outcome.Stock.Available));
        Assert.Null(posted.Outcome.Stock.UpdatedAt);
    }

    public static TheoryData<string, string> InvalidEvents() => new()
    {
        // case, the field the status detail starts with
        { "no event", "event" },
        { "type unspecified", "type" },
        { "type unknown to the contract", "type" },
        { "empty productId", "productId" },
        { "productId over 128 characters", "productId" },
        { "eventId over 128 characters", "eventId" },
        { "negative sale", "quantity" },
        { "adjustment of 0", "quantity" },
        { "sale over a billion", "quantity" },
        { "sale of the largest long", "quantity" },
        { "adjustment under minus a billion", "quantity" },
        { "threshold over a billion", "quantity" },
        { "reservation without reservationId", "reservationId" },
        { "fulfillment without reservationId", "reservationId" },
        { "occurredAt out of range", "occurredAt" },
        { "expiresAt with invalid nanos", "expiresAt" },
    };

    [Theory]
    [MemberData(nameof(InvalidEvents))]
    public async Task PostEvent_EventTheIngestWouldDeadLetter_InvalidArgumentNamingTheFieldAndNothingProduced(string what, string field)
    {
        var request = Invalid(what, Events.NewProductId("post-invalid"));
        var before = InputRecords();

        var e = await FailsAsync(StatusCode.InvalidArgument, () => api.Client.PostEventAsync(request, deadline: Deadline()).ResponseAsync);

        Assert.True(e.Status.Detail.StartsWith(field + ": ", StringComparison.Ordinal), $"{what}: {e.Status.Detail}");
        Assert.Equal(before, InputRecords());
    }

    [Fact]
    public async Task PostEvent_BrokerUnreachable_Unavailable()
    {
        // Nothing listens there: the producer gives up after its message timeout (10 s) and nothing is posted.
        await using var host = await api.StartHostAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:InventoryOrleans.Api.Posting.EventProducer"] = "Error" },
            bootstrapServers: $"127.0.0.1:{FreePort.Next()}");

        var e = await FailsAsync(StatusCode.Unavailable, () => host.Client.PostEventAsync(Events.Post(EventType.Receipt, Events.NewProductId("post-no-broker"), 1), deadline: Deadline(60)).ResponseAsync);

        Assert.Contains("nothing was posted", e.Status.Detail, StringComparison.Ordinal);
    }

    private static PostEventRequest Invalid(string what, string productId)
    {
        var request = Events.Post(EventType.Receipt, productId, 1, wait: false);
        var e = request.Event;
        switch (what)
        {
            case "no event": request.Event = null; break;
            case "type unspecified": e.Type = EventType.Unspecified; break;
            case "type unknown to the contract": e.Type = (EventType)42; break;
            case "empty productId": e.ProductId = ""; break;
            case "productId over 128 characters": e.ProductId = new string('p', 129); break;
            case "eventId over 128 characters": e.EventId = new string('e', 129); break;
            case "negative sale": (e.Type, e.Quantity) = (EventType.Sale, -1); break;
            case "adjustment of 0": (e.Type, e.Quantity) = (EventType.Adjustment, 0); break;
            case "sale over a billion": (e.Type, e.Quantity) = (EventType.Sale, 1_000_000_001); break;
            case "sale of the largest long": (e.Type, e.Quantity) = (EventType.Sale, long.MaxValue); break;
            case "adjustment under minus a billion": (e.Type, e.Quantity) = (EventType.Adjustment, -1_000_000_001); break;
            case "threshold over a billion": (e.Type, e.Quantity) = (EventType.LowStockThreshold, 1_000_000_001); break;
            case "reservation without reservationId": e.Type = EventType.Reservation; break;
            case "fulfillment without reservationId": e.Type = EventType.Fulfillment; break;
            case "occurredAt out of range": e.OccurredAt = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = -62_135_596_801 }; break;
            case "expiresAt with invalid nanos": (e.Type, e.ReservationId, e.ExpiresAt) = (EventType.Reservation, "r", new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 1, Nanos = -1 }); break;
            default: throw new ArgumentOutOfRangeException(nameof(what), what, "no such case");
        }

        return request;
    }

    private long InputRecords() => Topics.Inputs.Sum(api.Cluster.Client!.Count);

    private JsonDocument RecordAt(PostEventResponse posted)
    {
        var record = api.Cluster.Client!.ReadAll(posted.Topic).Single(r => r.Partition.Value == posted.Partition && r.Offset.Value == posted.Offset);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(JsonDocument.Parse(record.Message.Value).RootElement.GetProperty("productId").GetString()!), record.Message.Key);
        return JsonDocument.Parse(record.Message.Value);
    }

    private async Task<Stock?> StockOrNullAsync(string productId)
    {
        try
        {
            return await api.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline());
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    private static Google.Protobuf.WellKnownTypes.Timestamp Timestamp(DateTimeOffset at) => Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at);
}
