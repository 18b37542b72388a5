using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;


namespace InventoryOrleans.Grains.Interfaces.Json;

/// <summary>Writes the JSON of docs/CONTRACTS.md "Outcome" and "Net stock" (camelCase, UTF-8) without reflection.</summary>
public static class RecordSerializer
{
    // One buffer and one writer per thread, reset for each record: a record is written on one thread, start to end, and
    // this runs for every event, so neither is allocated per record.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Key(string productId) => Encoding.UTF8.GetBytes(productId);

    public static byte[] Outcome(EventOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return Write(outcome, static (writer, o) =>
        {
            writer.WriteString("eventId", o.EventId);
            writer.WriteString("productId", o.ProductId);
            writer.WriteString("status", StatusName(o.Status));
            WriteNullable(writer, "reason", o.Reason);
            writer.WriteNumber("version", o.Version);
            WriteNullable(writer, "correlationId", o.CorrelationId);
            if (o.Position is { } position)
            {
                writer.WriteString("topic", position.Topic);
                writer.WriteNumber("partition", position.Partition);
                writer.WriteNumber("offset", position.Offset);
            }
            else
            {
                writer.WriteNull("topic");
                writer.WriteNull("partition");
                writer.WriteNull("offset");
            }
        });
    }

    public static byte[] NetStock(StockView stock)
    {
        ArgumentNullException.ThrowIfNull(stock);
        return Write(stock, static (writer, s) =>
        {
            writer.WriteString("productId", s.ProductId);
            writer.WriteNumber("onHand", s.OnHand);
            writer.WriteNumber("reserved", s.Reserved);
            writer.WriteNumber("inTransit", s.InTransit);
            writer.WriteNumber("available", s.Available);
            writer.WriteNumber("version", s.Version);
            WriteNullable(writer, "lastEventId", s.LastEventId);
            WriteTimestamp(writer, "updatedAt", s.UpdatedAt);
            writer.WriteStartObject("locations");
            // Sorted only when there is an order to give (one location is the common case).
            var locations = s.Locations.Count > 1 ? s.Locations.OrderBy(l => l.Key, StringComparer.Ordinal) : s.Locations.AsEnumerable();
            foreach (var (location, onHand) in locations)
            {
                writer.WriteNumber(location, onHand);
            }

            writer.WriteEndObject();
            writer.WriteBoolean("lowStock", s.LowStock);
            writer.WriteNumber("lowStockThreshold", s.LowStockThreshold);
        });
    }

    /// <summary>A record of <c>inventory.alerts</c>: <c>{"productId","available","threshold","state","version","at"}</c>.</summary>
    public static byte[] Alert(LowStockAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Write(alert, static (writer, a) =>
        {
            writer.WriteString("productId", a.ProductId);
            writer.WriteNumber("available", a.Available);
            writer.WriteNumber("threshold", a.Threshold);
            writer.WriteString("state", a.State == LowStockState.Low ? "Low" : "Recovered");
            writer.WriteNumber("version", a.Version);
            WriteTimestamp(writer, "at", a.At);
        });
    }

    // UTC with seven fraction digits and a Z (docs/CONTRACTS.md), formatted on the stack rather than into a string.
    private static void WriteTimestamp(Utf8JsonWriter writer, string name, DateTimeOffset at)
    {
        Span<char> text = stackalloc char[28];
        if (!at.ToUniversalTime().TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"The timestamp {at:O} does not fit its 28-character format.");
        }

        writer.WriteString(name, text[..written]);
    }

    private static string StatusName(OutcomeStatus status) => status switch
    {
        OutcomeStatus.Applied => "Applied",
        OutcomeStatus.Duplicate => "Duplicate",
        OutcomeStatus.Rejected => "Rejected",
        _ => status.ToString(),
    };

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static byte[] Write<T>(T value, Action<Utf8JsonWriter, T> body)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);

        // Also forgets where a record that failed half-way left off.
        writer.Reset(buffer);
        writer.WriteStartObject();
        body(writer, value);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
