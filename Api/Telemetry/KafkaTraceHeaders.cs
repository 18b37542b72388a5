using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace InventoryOrleans.Api.Telemetry;

/// <summary>
/// Puts a span's context into a Kafka record's headers: W3C <c>traceparent</c>, and <c>tracestate</c> (and baggage)
/// when it has any. Written through <see cref="DistributedContextPropagator.Current"/> rather than OpenTelemetry's
/// <c>Propagators.DefaultTextMapPropagator</c>: it is what ASP.NET Core reads incoming HTTP headers with and HttpClient
/// writes them with, so HTTP and Kafka hops follow one setting (W3C by default), and the ingest, which reads them back
/// the same way, needs no OpenTelemetry package. docs/CONTRACTS.md allows headers on input records (it names only the DLQ's
/// own, and the DLQ keeps a message's headers).
/// </summary>
public static class KafkaTraceHeaders
{
    private static readonly DistributedContextPropagator.PropagatorSetterCallback Setter = static (carrier, name, value) =>
        ((Headers)carrier!).Add(name, Encoding.UTF8.GetBytes(value));

    /// <summary>
    /// The headers carrying <paramref name="span"/>'s context; null without a span. A record is given a context only
    /// when the producer's own span exists — something listens to the API's spans — so a host that traces nothing
    /// sends its records as before, and what the ingest links to is always the span that produced the record.
    /// </summary>
    public static Headers? For(Activity? span)
    {
        if (span is null)
        {
            return null;
        }

        var headers = new Headers();
        DistributedContextPropagator.Current.Inject(span, headers, Setter);
        return headers;
    }
}
