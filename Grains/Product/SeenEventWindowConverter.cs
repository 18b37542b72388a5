using System.Text.Json;
using System.Text.Json.Serialization;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// Writes the head part of a <see cref="SeenEventWindow"/>: <c>{"segmentSize","firstSegment","nextSegment","evicted","open":[…]}</c>,
/// the open entries in <see cref="SeenEventCodec"/> form; sealed segments are stored beside the head and handed back
/// through <see cref="SeenEventWindow.Restore"/>.
/// </summary>
public sealed class SeenEventWindowConverter : JsonConverter<SeenEventWindow>
{
    public override SeenEventWindow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var entries = new List<SeenEvent>();
        SeenEventCodec.Expect(ref reader, JsonTokenType.StartObject, "the window");
        int? segmentSize = null;
        long firstSegment = 0, nextSegment = 0;
        var evicted = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            SeenEventCodec.Expect(ref reader, JsonTokenType.PropertyName, "a window property");
            var name = reader.GetString();
            switch (name)
            {
                case "segmentSize":
                    segmentSize = SeenEventCodec.ReadInt32(ref reader, "the segment size");
                    break;
                case "firstSegment":
                    firstSegment = SeenEventCodec.ReadInt64(ref reader, "the first segment");
                    break;
                case "nextSegment":
                    nextSegment = SeenEventCodec.ReadInt64(ref reader, "the next segment");
                    break;
                case "evicted":
                    evicted = SeenEventCodec.ReadInt32(ref reader, "the evicted count");
                    break;
                case "open":
                    reader.Read();
                    SeenEventCodec.ReadEntries(ref reader, entries);
                    break;
                default:
                    reader.Read();
                    reader.Skip();
                    break;
            }
        }

        try
        {
            return SeenEventWindow.FromHead(segmentSize ?? SeenEventWindow.DefaultSegmentSize, firstSegment, nextSegment, evicted, entries);
        }
        catch (ArgumentException exception)
        {
            throw new JsonException($"Stored product state is malformed: {exception.Message}", exception);
        }
    }

    public override void Write(Utf8JsonWriter writer, SeenEventWindow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteNumber("segmentSize", value.SegmentSize);
        writer.WriteNumber("firstSegment", value.FirstSegmentId);
        writer.WriteNumber("nextSegment", value.NextSegmentId);
        writer.WriteNumber("evicted", value.EvictedFromFirstSegment);
        writer.WritePropertyName("open");
        writer.WriteRawValue(value.OpenEntriesJson, skipInputValidation: true);
        writer.WriteEndObject();
    }
}
