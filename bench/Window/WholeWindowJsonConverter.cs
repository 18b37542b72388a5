using System.Text.Json;
using System.Text.Json.Serialization;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;

namespace InventoryOrleans.Bench.Window;

/// <summary>
/// The whole de-duplication window as one JSON value, for Orleans' Redis provider, which stores a state as one JSON
/// document: <c>{"segmentSize":n,"entries":[…]}</c>, every entry in the same compact array form the segmented store
/// uses (<c>["eventId", status, version, reason, topic, partition, offset(, "location", ticks, delta)]</c>), so both
/// providers write the same information in the same encoding and differ only in how much of it a write carries. (The
/// window's own converter writes only the head, because the segmented store keeps the sealed segments beside it.)
/// </summary>
internal sealed class WholeWindowJsonConverter : JsonConverter<SeenEventWindow>
{
    public override SeenEventWindow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var window = new SeenEventWindow(root.GetProperty("segmentSize").GetInt32());
        foreach (var entry in root.GetProperty("entries").EnumerateArray())
        {
            var fields = entry.EnumerateArray().ToArray();
            var seen = new SeenEvent
            {
                EventId = fields[0].GetString()!,
                Status = (OutcomeStatus)fields[1].GetInt32(),
                Version = fields[2].GetInt64(),
                Reason = fields[3].GetString(),
                Topic = fields[4].GetString(),
                Partition = fields[5].GetInt32(),
                Offset = fields[6].GetInt64(),
            };
            if (fields.Length > 7)
            {
                seen.Location = fields[7].GetString();
                seen.OccurredAtUtcTicks = fields[8].GetInt64();
                seen.Delta = fields[9].GetInt64();
            }

            window.Enqueue(seen);
        }

        return window;
    }

    public override void Write(Utf8JsonWriter writer, SeenEventWindow value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("segmentSize", value.SegmentSize);
        writer.WriteStartArray("entries");
        foreach (var seen in value)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(seen.EventId);
            writer.WriteNumberValue((int)seen.Status);
            writer.WriteNumberValue(seen.Version);
            WriteNullable(writer, seen.Reason);
            WriteNullable(writer, seen.Topic);
            writer.WriteNumberValue(seen.Partition);
            writer.WriteNumberValue(seen.Offset);
            if (seen.Location is not null)
            {
                writer.WriteStringValue(seen.Location);
                writer.WriteNumberValue(seen.OccurredAtUtcTicks);
                writer.WriteNumberValue(seen.Delta);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
