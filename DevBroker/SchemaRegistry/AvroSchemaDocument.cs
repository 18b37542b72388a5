using Avro;

namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>
/// A parsed Avro schema and the text that identifies it. The identity is Apache.Avro's own rendering of the parsed
/// schema — one line, its own key order, names and defaults kept — so the same schema sent with other whitespace or key
/// order is the same schema, as with Confluent's canonical string. Avro's Parsing Canonical Form is not used: it drops
/// defaults, docs, aliases and logical types, so a v2 that only adds a default to a field would pass for v1.
/// </summary>
public sealed record AvroSchemaDocument(Schema Schema, string Canonical)
{
    /// <summary>The parsed schema, or the reason it is not a valid Avro schema.</summary>
    public static AvroSchemaDocument? TryParse(string? text, out string? problem)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "Empty schema";
            return null;
        }

        Schema? schema;
        try
        {
            schema = Schema.Parse(text);
        }
        catch (Exception ex) when (ex is AvroException or Newtonsoft.Json.JsonException or ArgumentException or FormatException or InvalidCastException)
        {
            problem = ex.Message;
            return null;
        }

        if (schema is null)
        {
            // Apache.Avro answers {"type":"nope"} with no schema rather than an error.
            problem = $"{text.Trim()} names no Avro type";
            return null;
        }

        problem = AvroDefaults.Problem(schema);
        return problem is null ? new AvroSchemaDocument(schema, schema.ToString()) : null;
    }
}
