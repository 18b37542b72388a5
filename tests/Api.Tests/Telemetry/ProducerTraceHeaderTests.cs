using System.Diagnostics;
using System.Text;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Posting;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.TestSupport.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.Api.Tests.Telemetry;

/// <summary>
/// The API producer's trace context on the records it produces (against the DevBroker, read back with a plain
/// consumer): a W3C <c>traceparent</c> naming the producer's own span, under the caller's trace, when the API's spans
/// are listened to; no header at all when nothing listens. One class, so its two tests never run side by side (an
/// ActivityListener is process-wide).
/// </summary>
public sealed class ProducerTraceHeaderTests : IAsyncLifetime
{
    private BrokerFixture? _broker;

    [Fact]
    public async Task ProduceAsync_WhileTheApisSpansAreListenedTo_TheRecordCarriesTheProducerSpansTraceparent()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ApiActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (stopped) { stopped.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        caller.TraceStateString = "inventory=1";
        var topic = "trace-headers-" + Guid.NewGuid().ToString("N");

        var produced = await ProduceOneAsync(topic);
        var record = ReadOne(topic);

        var producer = Assert.Single(stopped, s => s.Kind == ActivityKind.Producer);
        Assert.Equal($"send {topic}", producer.DisplayName);
        Assert.Equal(caller.TraceId, producer.TraceId);
        Assert.Equal(caller.SpanId, producer.ParentSpanId);
        Assert.Equal(produced.Offset.Value, producer.GetTagItem("messaging.kafka.offset"));
        var traceparent = Header(record.Message.Headers, "traceparent");

        // Version 00, the producer span's ids, and flags with "sampled" set (.NET 10 also sets W3C level 2's "random").
        Assert.Matches($"^00-{producer.TraceId}-{producer.SpanId}-[0-9a-f]{{2}}$", traceparent);
        Assert.True(ActivityContext.TryParse(traceparent, Header(record.Message.Headers, "tracestate"), isRemote: true, out var context));
        Assert.True(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded));
        Assert.Equal("inventory=1", context.TraceState);
    }

    [Fact]
    public async Task ProduceAsync_WithNothingListening_TheRecordHasNoHeaders()
    {
        // A source of the same name is listened to exactly when the API's is.
        using (var probe = new ActivitySource(ApiActivitySource.Name))
        {
            Assert.False(probe.HasListeners(), "a listener of the API's spans is registered in this process");
        }

        var topic = "trace-headers-" + Guid.NewGuid().ToString("N");

        await ProduceOneAsync(topic);
        var record = ReadOne(topic);

        Assert.Empty(record.Message.Headers ?? []);
    }

    private async Task<Confluent.Kafka.TopicPartitionOffset> ProduceOneAsync(string topic)
    {
        using var producer = new EventProducer(Microsoft.Extensions.Options.Options.Create(new KafkaOptions { BootstrapServers = _broker!.BootstrapServers }), NullLogger<EventProducer>.Instance);
        return await producer.ProduceAsync(topic, "p-1"u8.ToArray(), """{"eventId":"e-1"}"""u8.ToArray(), CancellationToken.None);
    }

    private Confluent.Kafka.ConsumeResult<byte[], byte[]> ReadOne(string topic)
    {
        using var client = new KafkaTestClient(_broker!.BootstrapServers);
        return Assert.Single(client.ReadAll(topic));
    }

    private static string? Header(Confluent.Kafka.Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    public async Task InitializeAsync() => _broker = await BrokerFixture.StartAsync();

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
