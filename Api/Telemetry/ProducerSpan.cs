using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace InventoryOrleans.Api.Telemetry;

/// <summary>
/// The API producer's <c>send {topic}</c> span (kind producer), with OpenTelemetry's messaging attributes: system,
/// operation, destination, the record's key (the productId) and, once delivered, its partition and offset.
/// </summary>
internal static class ProducerSpan
{
    public static Activity? Start(string topic, byte[] key)
    {
        var span = ApiActivitySource.Source.StartActivity("send " + topic, ActivityKind.Producer);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("messaging.system", "kafka")
                .SetTag("messaging.operation.type", "send")
                .SetTag("messaging.operation.name", "send")
                .SetTag("messaging.destination.name", topic)
                .SetTag("messaging.kafka.message.key", Encoding.UTF8.GetString(key));
        }

        return span;
    }

    public static void Delivered(Activity? span, TopicPartitionOffset delivered)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("messaging.destination.partition.id", delivered.Partition.Value.ToString(CultureInfo.InvariantCulture))
                .SetTag("messaging.kafka.offset", delivered.Offset.Value);
        }
    }

    public static void Failed(Activity? span, Error error) =>
        span?.SetTag("error.type", error.Code.ToString()).SetStatus(ActivityStatusCode.Error, error.Reason);
}
