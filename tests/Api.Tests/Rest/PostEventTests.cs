using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>POST /api/events: produced as the ingest reads it, validated exactly as the ingest validates, with or without waiting for the decision.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class PostEventTests(ApiCluster cluster)
{
    private HttpClient Http => cluster.Api.Http;

    [Fact]
    public async Task PostEvent_WithoutEventIdOccurredAtSource_202AndTheRecordCarriesWhatTheServerFilledIn()
    {
        var productId = Products.New("post");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var response = await Http.PostRawAsync("/api/events", $$$"""{"type":"Receipt","productId":"{{{productId}}}","quantity":4,"correlationId":"c-1","extra":{"ignored":true}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/stock/{productId}", response.Headers.Location?.OriginalString);
        var posted = (await response.BodyAsync())!.AsObject();
        Assert.Equal(["eventId", "topic", "partition", "offset"], posted.Select(p => p.Key));
        var eventId = posted["eventId"]!.GetValue<string>();
        Assert.StartsWith("api-", eventId, StringComparison.Ordinal);
        Assert.Equal(Topics.Events, posted["topic"]!.GetValue<string>());
        Assert.Equal(Murmur2Partitioner.Partition(productId, 12), posted["partition"]!.GetValue<int>());

        var (key, record) = TopicReader.ReadAt(cluster.BootstrapServers, Topics.Events, posted["partition"]!.GetValue<int>(), posted["offset"]!.GetValue<long>());
        Assert.Equal(productId, key);
        Assert.Equal(eventId, record["eventId"]!.GetValue<string>());
        Assert.Equal("Receipt", record["type"]!.GetValue<string>());
        Assert.Equal("API", record["source"]!.GetValue<string>());
        Assert.Equal("c-1", record["correlationId"]!.GetValue<string>());
        Assert.True(Rfc3339.TryParse(record["occurredAt"]!.GetValue<string>(), out var occurredAt), record.ToJsonString());
        Assert.InRange(occurredAt, before, DateTimeOffset.UtcNow.AddSeconds(1));

        // Whatever the API accepts, the ingest applies.
        await Eventually.TrueAsync(
            async () =>
            {
                using var stock = await Http.GetAsync(new Uri($"/api/stock/{productId}", UriKind.Relative));
                return stock.StatusCode == HttpStatusCode.OK && (await stock.BodyAsync())!["lastEventId"]!.GetValue<string>() == eventId;
            },
            TimeSpan.FromSeconds(60),
            $"{productId} holds the posted receipt");
    }

    [Theory]
    [InlineData("""{"type":"Snapshot","quantity":5}""", Topics.Snapshots)]
    [InlineData("""{"type":"Sale","quantity":1}""", Topics.Sales)]
    [InlineData("""{"type":"Return","quantity":1}""", Topics.Sales)]
    [InlineData("""{"type":"Adjustment","quantity":-2}""", Topics.Events)]
    [InlineData("""{"type":"Adjustment","quantity":-1000000000}""", Topics.Events)]
    [InlineData("""{"type":"Receipt","quantity":1000000000}""", Topics.Events)]
    [InlineData("""{"type":"TransferOut","quantity":1}""", Topics.Events)]
    [InlineData("""{"type":"Reservation","quantity":0,"reservationId":"r-1","expiresAt":"2030-01-01T00:00:00Z"}""", Topics.Events)]
    [InlineData("""{"type":"ReservationRelease","reservationId":"r-1"}""", Topics.Events)]
    public async Task PostEvent_EachType_ProducedToItsInputTopic(string partialEvent, string topic)
    {
        var inventoryEvent = JsonNode.Parse(partialEvent)!.AsObject();
        inventoryEvent["productId"] = Products.New("topic");
        using var response = await Http.PostRawAsync("/api/events", inventoryEvent.ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(topic, (await response.BodyAsync())!["topic"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("not json", "body")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4""", "body")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4,}""", "body")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4} // note""", "body")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4} {}""", "body")]
    [InlineData("""[{"type":"Receipt","productId":"p","quantity":4}]""", "body")]
    [InlineData("\"Receipt\"", "body")]
    [InlineData("null", "body")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":"4"}""", "quantity")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4.5}""", "quantity")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":99999999999999999999}""", "quantity")]
    [InlineData("""{"type":"Receipt","productId":"p"}""", "quantity")]
    [InlineData("""{"type":"Sale","productId":"p","quantity":-1}""", "quantity")]
    [InlineData("""{"type":"Sale","productId":"p","quantity":9223372036854775807}""", "quantity")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":1000000001}""", "quantity")]
    [InlineData("""{"type":"Snapshot","productId":"p","quantity":1000000001}""", "quantity")]
    [InlineData("""{"type":"Adjustment","productId":"p","quantity":-1000000001}""", "quantity")]
    [InlineData("""{"type":"LowStockThreshold","productId":"p","quantity":1000000001}""", "quantity")]
    [InlineData("""{"type":"Adjustment","productId":"p","quantity":0}""", "quantity")]
    [InlineData("""{"type":"Recount","productId":"p","quantity":4}""", "type")]
    [InlineData("""{"type":"receipt","productId":"p","quantity":4}""", "type")]
    [InlineData("""{"type":3,"productId":"p","quantity":4}""", "type")]
    [InlineData("""{"productId":"p","quantity":4}""", "type")]
    [InlineData("""{"type":"Receipt","quantity":4}""", "productId")]
    [InlineData("""{"type":"Receipt","productId":"","quantity":4}""", "productId")]
    [InlineData("""{"type":"Receipt","productId":["p"],"quantity":4}""", "productId")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4,"eventId":""}""", "eventId")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4,"eventId":7}""", "eventId")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4,"occurredAt":"yesterday"}""", "occurredAt")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4,"occurredAt":"2026-11-30T10:00:00"}""", "occurredAt")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4,"locationId":{"id":"a"}}""", "locationId")]
    [InlineData("""{"type":"Reservation","productId":"p","quantity":1}""", "reservationId")]
    [InlineData("""{"type":"Reservation","productId":"p","quantity":1,"reservationId":"r","expiresAt":"soon"}""", "expiresAt")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4,"source":false}""", "source")]
    public async Task PostEvent_EventTheIngestWouldDeadLetter_400NamingTheFieldAndNothingProduced(string body, string field)
    {
        var before = cluster.InputEnds();
        using var response = await Http.PostRawAsync("/api/events", body);

        await response.AssertValidationErrorAsync(field);
        Assert.Equal(before, cluster.InputEnds());
    }

    [Fact]
    public async Task PostEvent_IdOver128Characters_400NamingProductIdAndNothingProduced()
    {
        var before = cluster.InputEnds();
        using var response = await Http.PostRawAsync("/api/events", $$"""{"type":"Receipt","productId":"{{new string('p', 129)}}","quantity":4}""");

        await response.AssertValidationErrorAsync("productId");
        Assert.Equal(before, cluster.InputEnds());
    }

    [Fact]
    public async Task PostEvent_RepeatedPropertyNames_LastValueWinsAsInTheIngestAndTheRecordNamesEachOnce()
    {
        // Found by HostileBodyTests: a repeated name was a 500.
        var productId = Products.New("repeated");
        var body = $$$"""{"type":"Receipt","productId":"{{{productId}}}","quantity":1,"quantity":4,"extra":{"a":1,"a":[2]}}""";
        using var response = await Http.PostRawAsync("/api/events", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var posted = (await response.BodyAsync())!;
        var (_, record) = TopicReader.ReadAt(cluster.BootstrapServers, Topics.Events, posted["partition"]!.GetValue<int>(), posted["offset"]!.GetValue<long>());
        Assert.Equal(4, record["quantity"]!.GetValue<long>());
        Assert.Equal("""{"a":[2]}""", record["extra"]!.ToJsonString());

        // The ingest reads a repeated name the same way.
        var message = $$"""{"eventId":"x","occurredAt":"2026-01-31T12:00:00Z","type":"Receipt","productId":"{{productId}}","quantity":1,"quantity":4}""";
        Assert.Equal(4, InventoryEventParser.Parse(Encoding.UTF8.GetBytes(productId), Encoding.UTF8.GetBytes(message)).Event!.Quantity);
    }

    [Theory]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4,"extra":"\ud800"}""")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4,"extra":["\udc00x"]}""")]
    [InlineData("""{"type":"Receipt","productId":"p","quantity":4,"\ud800":1}""")]
    [InlineData("""{"type":"Receipt","productId":"p\ud800","quantity":4}""")]
    public async Task PostEvent_EscapedLoneSurrogate_400BodyAndNothingProduced(string body)
    {
        // Found by HostileBodyTests: valid JSON, but no text, so it could be neither read nor produced (a 500).
        var before = cluster.InputEnds();
        using var response = await Http.PostRawAsync("/api/events", body);

        Assert.Contains("surrogate", await response.AssertValidationErrorAsync("body"), StringComparison.Ordinal);
        Assert.Equal(before, cluster.InputEnds());
    }

    [Fact]
    public async Task PostEvent_InvalidUtf8_400BodyAndNothingProduced()
    {
        var before = cluster.InputEnds();
        var body = Encoding.UTF8.GetBytes("""{"type":"Receipt","productId":"p?","quantity":4}""");
        body[Array.IndexOf(body, (byte)'?')] = 0xC3;
        using var response = await Http.PostRawAsync("/api/events", body);

        await response.AssertValidationErrorAsync("body");
        Assert.Equal(before, cluster.InputEnds());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PostEvent_BodyOverTheEventLimit_400BodyAndNothingProduced(bool chunked)
    {
        var before = cluster.InputEnds();
        var body = Padded($$"""{"type":"Receipt","productId":"{{Products.New("big")}}","quantity":4,"padding":"{0}"}""", InventoryEventParser.MaxMessageBytes + 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/events", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");

        // Without a Content-Length the API cannot refuse up front: it reads one byte past the limit and stops.
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await Http.SendAsync(request);

        Assert.Contains("bytes", await response.AssertValidationErrorAsync("body"), StringComparison.Ordinal);
        Assert.Equal(before, cluster.InputEnds());
    }

    [Fact]
    public async Task PostEvent_EventOfExactlyTheLimit_AcceptedAndAppliedByTheIngest()
    {
        var productId = Products.New("limit");
        var body = Padded($$"""{"eventId":"limit-1","type":"Receipt","productId":"{{productId}}","quantity":4,"occurredAt":"2026-11-30T10:00:00Z","source":"TEST","padding":"{0}"}""", InventoryEventParser.MaxMessageBytes);
        using var response = await Http.PostRawAsync("/api/events?wait=true", body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("Applied", JsonNode.Parse(text)!["outcome"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostEvent_WaitTrue_200WithTheDecisionAndTheStockRightAfterIt()
    {
        var productId = Products.New("wait");
        using var receipt = await Http.PostRawAsync("/api/events?wait=true", $$"""{"eventId":"w-1","type":"Receipt","productId":"{{productId}}","quantity":10,"locationId":"wh-1"}""");
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        var applied = (await receipt.BodyAsync())!.AsObject();
        Assert.Equal(["eventId", "topic", "partition", "offset", "outcome"], applied.Select(p => p.Key));
        Assert.Equal("w-1", applied["eventId"]!.GetValue<string>());
        var outcome = applied["outcome"]!.AsObject();
        Assert.Equal(["status", "reason", "version", "stock"], outcome.Select(p => p.Key));
        Assert.Equal("Applied", outcome["status"]!.GetValue<string>());
        Assert.Null(outcome["reason"]);
        Assert.Equal(1, outcome["version"]!.GetValue<long>());
        Assert.Equal(10, outcome["stock"]!["onHand"]!.GetValue<long>());
        Assert.Equal(10, outcome["stock"]!["locations"]!["wh-1"]!.GetValue<long>());
        Assert.Equal("w-1", outcome["stock"]!["lastEventId"]!.GetValue<string>());

        using var reservation = await Http.PostRawAsync("/api/events?wait=true", $$"""{"eventId":"w-2","type":"Reservation","productId":"{{productId}}","quantity":11,"reservationId":"r-1"}""");
        Assert.Equal(HttpStatusCode.OK, reservation.StatusCode);
        var rejected = (await reservation.BodyAsync())!["outcome"]!.AsObject();
        Assert.Equal("Rejected", rejected["status"]!.GetValue<string>());
        Assert.Equal("InsufficientStock", rejected["reason"]!.GetValue<string>());
        Assert.Equal(1, rejected["version"]!.GetValue<long>());
        Assert.Equal(0, rejected["stock"]!["reserved"]!.GetValue<long>());
        Assert.Equal(1, rejected["stock"]!["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task PostEvent_WaitRejectedOnANeverAppliedProduct_Version0AndZeros()
    {
        var productId = Products.New("never-applied");
        using var response = await Http.PostRawAsync("/api/events?wait=true", $$"""{"type":"ReservationRelease","productId":"{{productId}}","reservationId":"none"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = (await response.BodyAsync())!["outcome"]!.AsObject();
        Assert.Equal("Rejected", outcome["status"]!.GetValue<string>());
        Assert.Equal("UnknownReservation", outcome["reason"]!.GetValue<string>());
        Assert.Equal(0, outcome["version"]!.GetValue<long>());
        var stock = outcome["stock"]!.AsObject();
        Assert.Equal(productId, stock["productId"]!.GetValue<string>());
        Assert.All(["onHand", "reserved", "inTransit", "available", "version"], field => Assert.Equal(0, stock[field]!.GetValue<long>()));
    }

    [Fact]
    public async Task PostEvent_SameEventIdTwice_AppliedOnceAndEachAnswerIsItsOwnMessagesDecision()
    {
        var productId = Products.New("twice");
        var body = $$"""{"eventId":"twice-1","type":"Receipt","productId":"{{productId}}","quantity":5}""";
        using var first = await Http.PostRawAsync("/api/events?wait=true", body);
        using var second = await Http.PostRawAsync("/api/events?wait=true", body);

        var a = (await first.BodyAsync())!.AsObject();
        var b = (await second.BodyAsync())!.AsObject();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotEqual(a["offset"]!.GetValue<long>(), b["offset"]!.GetValue<long>());
        Assert.Equal(("Applied", 1L), (a["outcome"]!["status"]!.GetValue<string>(), a["outcome"]!["version"]!.GetValue<long>()));
        Assert.Equal(("Duplicate", 1L), (b["outcome"]!["status"]!.GetValue<string>(), b["outcome"]!["version"]!.GetValue<long>()));

        using var stock = await Http.GetAsync(new Uri($"/api/stock/{productId}", UriKind.Relative));
        var current = (await stock.BodyAsync())!;
        Assert.Equal(5, current["onHand"]!.GetValue<long>());
        Assert.Equal(1, current["version"]!.GetValue<long>());

        // On the outcomes topic: the first message applied, the second a duplicate.
        List<JsonObject> outcomes = [];
        await Eventually.TrueAsync(
            () => (outcomes = TopicReader.ValuesOf(cluster.Kafka, Topics.Outcomes, productId)).Count >= 2,
            TimeSpan.FromSeconds(60),
            "both messages have an outcome record");
        Assert.Equal(["Applied", "Duplicate"], outcomes.OrderBy(o => o["offset"]!.GetValue<long>()).Select(o => o["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PostEvent_EventIdDecidedBeforeThroughKafka_WaitAnswersDuplicateWithTheStockThen()
    {
        var productId = Products.New("decided");
        cluster.Kafka.Produce(Topics.Sales, new InventoryEvent("pos-1", InventoryEventType.Return, productId, 2, DateTimeOffset.UtcNow, Source: "POS"));
        cluster.Kafka.Flush();
        await Eventually.TrueAsync(
            async () =>
            {
                using var stock = await Http.GetAsync(new Uri($"/api/stock/{productId}", UriKind.Relative));
                return stock.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(60),
            $"{productId} holds the POS return");
        using var later = await Http.PostRawAsync("/api/events?wait=true", $$"""{"type":"Receipt","productId":"{{productId}}","quantity":3}""");
        Assert.Equal(2, (await later.BodyAsync())!["outcome"]!["version"]!.GetValue<long>());

        using var again = await Http.PostRawAsync("/api/events?wait=true", $$"""{"eventId":"pos-1","type":"Return","productId":"{{productId}}","quantity":2}""");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var outcome = (await again.BodyAsync())!["outcome"]!;
        Assert.Equal("Duplicate", outcome["status"]!.GetValue<string>());
        Assert.Equal((2L, 2L, 5L), (outcome["version"]!.GetValue<long>(), outcome["stock"]!["version"]!.GetValue<long>(), outcome["stock"]!["onHand"]!.GetValue<long>()));
        using var after = await Http.GetAsync(new Uri($"/api/stock/{productId}", UriKind.Relative));
        Assert.Equal(5, (await after.BodyAsync())!["onHand"]!.GetValue<long>());
    }

    [Fact]
    public async Task PostEvent_WaitForAMessageWhoseDecisionTheProductNoLongerKeeps_410WithWhereItWentNotAMadeUpDuplicate()
    {
        // A product that remembers two decisions, on a silo without ingest, and a broker no silo consumes: the test
        // decides the messages itself, as the ingest would, through the product grain.
        await using var silo = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?> { ["ProductGrain:DedupWindowSize"] = "2" }, ingest: false);
        await using var broker = await BrokerFixture.StartAsync();
        await using var host = await cluster.StartHostAsync(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = broker.BootstrapServers }, orleans: silo.Grains);
        var productId = Products.New("forgotten");
        using var first = await host.Http.PostRawAsync("/api/events", $$"""{"eventId":"f-0","type":"Receipt","productId":"{{productId}}","quantity":1}""");
        var posted = (await first.BodyAsync())!;
        var (topic, partition, offset) = (posted["topic"]!.GetValue<string>(), posted["partition"]!.GetValue<int>(), posted["offset"]!.GetValue<long>());

        // The product's next message (offset + 1) is decided, then two more push its decision out of the window.
        await silo.Grains.GetGrain<IProductGrain>(productId).ApplyBatchAsync(
            [.. Enumerable.Range(1, 3).Select(i => new PositionedEvent(
                new InventoryEvent($"f-{i}", InventoryEventType.Receipt, productId, 1, DateTimeOffset.UtcNow),
                new EventPosition(topic, partition, offset + i)))],
            new PublicationTicket(partition, 1, 0, 1));
        using var response = await host.Http.PostRawAsync("/api/events?wait=true", $$"""{"eventId":"f-1","type":"Receipt","productId":"{{productId}}","quantity":1}""");

        var problem = await response.AssertProblemAsync(410);
        Assert.Equal(("f-1", topic, partition, offset + 1), (problem["eventId"]!.GetValue<string>(), problem["topic"]!.GetValue<string>(), problem["partition"]!.GetValue<int>(), problem["offset"]!.GetValue<long>()));
        Assert.Contains(Topics.Outcomes, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvent_NoDecisionWithinTheTimeout_504WithTheEventIdAndTheEventStaysPosted()
    {
        // A broker no silo consumes: the event is produced, and no grain ever decides it.
        await using var orphan = await TestSupport.Kafka.BrokerFixture.StartAsync();
        await using var host = await cluster.StartHostAsync(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = orphan.BootstrapServers,
            ["Api:OutcomeTimeoutMs"] = "300",
        });
        var productId = Products.New("timeout");
        using var response = await host.Http.PostRawAsync("/api/events?wait=true", $$"""{"eventId":"late-1","type":"Receipt","productId":"{{productId}}","quantity":1}""");

        var problem = await response.AssertProblemAsync(504);
        Assert.Equal("late-1", problem["eventId"]!.GetValue<string>());
        var (key, record) = TopicReader.ReadAt(orphan.BootstrapServers, problem["topic"]!.GetValue<string>(), problem["partition"]!.GetValue<int>(), problem["offset"]!.GetValue<long>());
        Assert.Equal(productId, key);
        Assert.Equal("late-1", record["eventId"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostEvent_KafkaUnreachable_503WithTheEventId()
    {
        await using var host = await cluster.StartHostAsync(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = $"127.0.0.1:{FreePort.Next()}",
            ["Kafka:ProduceTimeoutMs"] = "1000",
        });
        using var response = await host.Http.PostRawAsync("/api/events?wait=true", $$"""{"eventId":"down-1","type":"Receipt","productId":"{{Products.New("down")}}","quantity":1}""");

        var problem = await response.AssertProblemAsync(503);
        Assert.Equal("down-1", problem["eventId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("1")]
    public async Task PostEvent_WaitNotTrueOrFalse_400NamingWaitAndNothingProduced(string wait)
    {
        var before = cluster.InputEnds();
        using var response = await Http.PostRawAsync($"/api/events?wait={wait}", $$"""{"type":"Receipt","productId":"{{Products.New("wait-bad")}}","quantity":1}""");

        await response.AssertValidationErrorAsync("wait");
        Assert.Equal(before, cluster.InputEnds());
    }

    [Fact]
    public async Task PostEvent_NotJsonContentType_415ProblemDetails()
    {
        using var content = new StringContent("""{"type":"Receipt","productId":"p","quantity":1}""", Encoding.UTF8, "text/plain");
        using var response = await Http.PostAsync(new Uri("/api/events", UriKind.Relative), content);
        await response.AssertProblemAsync(415);
    }

    [Theory]
    [InlineData("GET", "/api/events", 405)]
    [InlineData("DELETE", "/api/sales", 405)]
    [InlineData("PUT", "/api/stock/p", 405)]
    [InlineData("GET", "/api/nothing-here", 404)]
    [InlineData("GET", "/nothing-here", 404)]
    public async Task UnknownRouteOrMethod_ProblemDetails(string method, string path, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        using var response = await Http.SendAsync(request);
        await response.AssertProblemAsync(status);
    }

    // The template with "{0}" replaced by as many 'x' as make the whole exactly `size` UTF-8 bytes.
    private static byte[] Padded(string template, int size)
    {
        var without = Encoding.UTF8.GetByteCount(template) - "{0}".Length;
        return Encoding.UTF8.GetBytes(template.Replace("{0}", new string('x', size - without), StringComparison.Ordinal));
    }
}
