using Avro;
using Newtonsoft.Json.Linq;

namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>
/// Checks every field default of a schema against the field's type. Apache.Avro parses <c>{"type":"int","default":"x"}</c>
/// without complaint, but such a default breaks the very rule compatibility relies on (a reader fills a missing field
/// from it), so the registry refuses the schema as Avro's Java parser does with default validation on. A union's default
/// may match any branch (Avro 1.12 readers accept that; earlier specs asked for the first).
/// </summary>
internal static class AvroDefaults
{
    /// <summary>The first field whose default does not fit its type, as a message; null when all fit.</summary>
    public static string? Problem(Schema schema)
    {
        var seen = new HashSet<Schema>(ReferenceEqualityComparer.Instance);
        return Walk(schema, seen);
    }

    private static string? Walk(Schema schema, HashSet<Schema> seen)
    {
        switch (schema)
        {
            case LogicalSchema logical:
                return Walk(logical.BaseSchema, seen);
            case RecordSchema record when seen.Add(record):
                foreach (var field in record.Fields)
                {
                    if (field.DefaultValue is { } value && !Fits(field.Schema, value))
                    {
                        return $"Invalid default for field {field.Name} of {record.Fullname}: {value.ToString(Newtonsoft.Json.Formatting.None)} is not a {field.Schema.Tag}";
                    }

                    if (Walk(field.Schema, seen) is { } nested)
                    {
                        return nested;
                    }
                }

                return null;
            case ArraySchema array:
                return Walk(array.ItemSchema, seen);
            case MapSchema map:
                return Walk(map.ValueSchema, seen);
            case UnionSchema union:
                return union.Schemas.Select(branch => Walk(branch, seen)).FirstOrDefault(problem => problem is not null);
            default:
                return null;
        }
    }

    private static bool Fits(Schema schema, JToken value) => schema switch
    {
        LogicalSchema logical => Fits(logical.BaseSchema, value),
        UnionSchema union => union.Schemas.Any(branch => Fits(branch, value)),
        EnumSchema @enum => value.Type == JTokenType.String && @enum.Symbols.Contains(value.Value<string>()),
        FixedSchema @fixed => value.Type == JTokenType.String && value.Value<string>()!.Length == @fixed.Size,
        ArraySchema array => value is JArray items && items.All(item => Fits(array.ItemSchema, item)),
        MapSchema map => value is JObject entries && entries.Properties().All(entry => Fits(map.ValueSchema, entry.Value)),
        RecordSchema record => value is JObject fields && record.Fields.All(field =>
            fields.TryGetValue(field.Name, out var given) ? Fits(field.Schema, given) : field.DefaultValue is not null),
        _ => schema.Tag switch
        {
            Schema.Type.Null => value.Type == JTokenType.Null,
            Schema.Type.Boolean => value.Type == JTokenType.Boolean,
            Schema.Type.Int => value.Type == JTokenType.Integer && value.Value<long>() is >= int.MinValue and <= int.MaxValue,
            Schema.Type.Long => value.Type == JTokenType.Integer && value is JValue { Value: long or int },
            Schema.Type.Float or Schema.Type.Double => value.Type is JTokenType.Integer or JTokenType.Float,
            Schema.Type.String or Schema.Type.Bytes => value.Type == JTokenType.String,
            _ => false,
        },
    };
}
