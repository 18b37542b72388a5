using System.Buffers;
using System.Globalization;
using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// The compact JSON of window entries: <c>["eventId", status, version, "reason"|null, "topic"|null, partition, offset]</c>,
/// followed by <c>"location", occurredAtUtcTicks, delta</c> for an applied on-hand change (status is the numeric
/// <see cref="OutcomeStatus"/>).
/// Skips property names and reflection: about a third smaller and twice as fast as the default object form, and still
/// readable in storage. Used for the open entries in the head and for sealed segments.
/// </summary>
internal static class SeenEventCodec
{
    public static void WriteEntries(Utf8JsonWriter writer, IEnumerable<SeenEvent> entries)
    {
        writer.WriteStartArray();
        foreach (var seen in entries)
        {
            WriteEntry(writer, seen);
        }

        writer.WriteEndArray();
    }

    public static void WriteEntry(Utf8JsonWriter writer, SeenEvent seen)
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

    /// <summary>Reads an entry array; the reader stands on its StartArray and is left on its EndArray.</summary>
    public static void ReadEntries(ref Utf8JsonReader reader, List<SeenEvent> into)
    {
        Expect(ref reader, JsonTokenType.StartArray, "the window entries");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartArray, "a window entry");
            var seen = new SeenEvent
            {
                EventId = ReadString(ref reader, "an eventId"),
                Status = ReadStatus(ref reader),
                Version = ReadInt64(ref reader, "a version"),
                Reason = ReadNullableString(ref reader, "a reason"),
                Topic = ReadNullableString(ref reader, "a topic"),
                Partition = ReadInt32(ref reader, "a partition"),
                Offset = ReadInt64(ref reader, "an offset"),
            };

            reader.Read();
            if (reader.TokenType != JsonTokenType.EndArray)
            {
                Expect(ref reader, JsonTokenType.String, "a location");
                seen.Location = reader.GetString();
                seen.OccurredAtUtcTicks = ReadInt64(ref reader, "an event time");
                seen.Delta = ReadInt64(ref reader, "an on-hand delta");
                reader.Read();
                Expect(ref reader, JsonTokenType.EndArray, "the end of a window entry");
            }

            into.Add(seen);
        }

        Expect(ref reader, JsonTokenType.EndArray, "the end of the window entries");
    }

    public static byte[] EncodeSegment(SeenEvent[] entries)
    {
        var buffer = new ArrayBufferWriter<byte>(entries.Length * 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteEntries(writer, entries);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static SeenEvent[] DecodeSegment(byte[] data)
    {
        var reader = new Utf8JsonReader(data);
        reader.Read();
        var entries = new List<SeenEvent>();
        ReadEntries(ref reader, entries);
        return entries.ToArray();
    }

    public static string ReadString(ref Utf8JsonReader reader, string what)
    {
        reader.Read();
        Expect(ref reader, JsonTokenType.String, what);
        return reader.GetString()!;
    }

    public static string? ReadNullableString(ref Utf8JsonReader reader, string what)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String, what);
        return reader.GetString();
    }

    public static long ReadInt64(ref Utf8JsonReader reader, string what)
    {
        reader.Read();
        Expect(ref reader, JsonTokenType.Number, what);
        return reader.TryGetInt64(out var value) ? value : throw Malformed($"expected {what} (a 64-bit integer) in the de-duplication window");
    }

    public static int ReadInt32(ref Utf8JsonReader reader, string what)
    {
        reader.Read();
        Expect(ref reader, JsonTokenType.Number, what);
        return reader.TryGetInt32(out var value) ? value : throw Malformed($"expected {what} (a 32-bit integer) in the de-duplication window");
    }

    // A status outside the enum would be taken for a decision and repeated to a redelivery as an outcome nobody knows.
    private static OutcomeStatus ReadStatus(ref Utf8JsonReader reader)
    {
        var status = (OutcomeStatus)ReadInt32(ref reader, "a status");
        return Enum.IsDefined(status) ? status : throw Malformed($"unknown outcome status {(int)status} in the de-duplication window");
    }

    private static JsonException Malformed(string problem) => new(string.Create(CultureInfo.InvariantCulture, $"Stored product state is malformed: {problem}."));

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

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Stored product state is malformed: expected {what} ({type}) in the de-duplication window, found {reader.TokenType}.");
        }
    }
}
