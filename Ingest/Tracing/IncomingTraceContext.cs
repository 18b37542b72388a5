using System.Diagnostics;
using Confluent.Kafka;

namespace InventoryOrleans.Ingest.Tracing;

/// <summary>
/// Reads the trace context a producer put in a message's headers (the API writes W3C <c>traceparent</c> and
/// <c>tracestate</c>), through <see cref="DistributedContextPropagator.Current"/> — the propagator ASP.NET Core and
/// HttpClient use, so an event posted over HTTP and passed on through Kafka is read back by the same rules it was
/// written with, and the ingest needs no OpenTelemetry package.
/// </summary>
internal static class IncomingTraceContext
{
    public const string TraceParent = "traceparent";

    // "00-" + 32 hex digits of trace id + "-" + 16 of span id + "-" + 2 of flags; the sampled flag is the flags' low bit.
    private const int TraceParentLength = 55;

    private static readonly DistributedContextPropagator.PropagatorGetterCallback Getter = static (carrier, name, out value, out values) =>
    {
        values = null;
        value = carrier is Headers headers && headers.TryGetLastBytes(name, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;
    };

    /// <summary>
    /// The context of a message whose producer sampled it. Anything else — no headers, no <c>traceparent</c>, or one
    /// whose sampled flag is off — is answered from the raw bytes, without allocating: at tens of thousands of messages
    /// a second that is the common case, and a message its producer did not sample gets no span here either.
    /// </summary>
    public static bool TryExtractSampled(Headers? headers, out ActivityContext context)
    {
        context = default;
        if (headers is null || headers.Count == 0 || !headers.TryGetLastBytes(TraceParent, out var raw)
            || raw.Length != TraceParentLength || (HexValue(raw[TraceParentLength - 1]) & 1) == 0)
        {
            return false;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, Getter, out var traceParent, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out context)
            && context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded);
    }

    private static int HexValue(byte digit) => digit switch
    {
        >= (byte)'0' and <= (byte)'9' => digit - '0',
        >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
        _ => 0,
    };
}
