using System.Text.Json;
using System.Text.Json.Serialization;
using InventoryOrleans.Grains.Storage;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// How a <see cref="ProductState"/> travels when Orleans migrates a product grain to another silo (its persistent state
/// is dehydrated with the grain): the stored head plus every sealed window segment, so the new activation holds the
/// whole de-duplication window without reading storage, and its segment bookkeeping still matches what storage holds.
/// </summary>
public static class ProductStateMigration
{
    /// <summary>Writes and reads a whole window as one JSON value (also what a store that keeps a state as one document needs).</summary>
    public static JsonConverter<SeenEventWindow> WindowConverter { get; } = new WholeWindowConverter();

    /// <summary>Options of Orleans' System.Text.Json codec for <see cref="ProductState"/> (a converter in the options beats the type's own, head-only one).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { WindowConverter },
    };

    /// <summary>Writes <c>{"head":{…},"segments":[[id,[…entries]],…]}</c>.</summary>
    private sealed class WholeWindowConverter : JsonConverter<SeenEventWindow>
    {
        private static readonly SeenEventWindowConverter Head = new();

        public override SeenEventWindow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            SeenEventCodec.Expect(ref reader, JsonTokenType.StartObject, "a migrated window");
            SeenEventWindow? window = null;
            var segments = new List<StateSegment>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "head")
                {
                    window = Head.Read(ref reader, typeof(SeenEventWindow), options);
                }
                else if (name == "segments")
                {
                    SeenEventCodec.Expect(ref reader, JsonTokenType.StartArray, "the migrated segments");
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
                    {
                        var id = SeenEventCodec.ReadInt64(ref reader, "a segment id");
                        reader.Read();
                        using var entries = JsonDocument.ParseValue(ref reader);
                        segments.Add(new StateSegment(id, JsonSerializer.SerializeToUtf8Bytes(entries.RootElement)));
                        reader.Read();
                        SeenEventCodec.Expect(ref reader, JsonTokenType.EndArray, "the end of a migrated segment");
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            window ??= new SeenEventWindow();
            window.Restore(segments);
            return window;
        }

        public override void Write(Utf8JsonWriter writer, SeenEventWindow value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            ArgumentNullException.ThrowIfNull(value);
            if (value.HasUnsavedChanges)
            {
                // Segments storage never got would be lost on the way; such an activation reloads instead of moving.
                throw new InvalidOperationException("A product state with unsaved window segments cannot migrate; it is reloaded from storage instead.");
            }

            writer.WriteStartObject();
            writer.WritePropertyName("head");
            Head.Write(writer, value, options);
            writer.WriteStartArray("segments");
            foreach (var segment in value.SealedSegments())
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(segment.Id);
                writer.WriteRawValue(segment.Data, skipInputValidation: true);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }
}
