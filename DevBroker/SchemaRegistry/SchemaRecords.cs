using System.Text.Encodings.Web;
using System.Text.Json;

namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>
/// The <c>_schemas</c> records in Confluent's layout, so the topic reads like a Confluent registry's:
/// schema keys <c>{"keytype":"SCHEMA","subject":…,"version":…,"magic":1}</c> with values
/// <c>{"subject","version","id","schema","deleted"}</c>; config keys <c>{"keytype":"CONFIG","subject":…,"magic":0}</c>
/// (subject null: the global level) with values <c>{"compatibilityLevel":…}</c>; a null value removes the key.
/// Keys are written field by field in that order, so one key is always the same bytes — compaction keys on them.
/// </summary>
internal static class SchemaRecords
{
    private const string SchemaKeyType = "SCHEMA";
    private const string ConfigKeyType = "CONFIG";

    public static byte[] SchemaKey(string subject, int version) => Write(json =>
    {
        json.WriteString("keytype", SchemaKeyType);
        json.WriteString("subject", subject);
        json.WriteNumber("version", version);
        json.WriteNumber("magic", 1);
    });

    public static byte[] SchemaValue(SchemaVersion version) => Write(json =>
    {
        json.WriteString("subject", version.Subject);
        json.WriteNumber("version", version.Version);
        json.WriteNumber("id", version.Id);
        json.WriteString("schema", version.Schema.Canonical);
        json.WriteBoolean("deleted", version.Deleted);
    });

    public static byte[] ConfigKey(string? subject) => Write(json =>
    {
        json.WriteString("keytype", ConfigKeyType);
        json.WriteString("subject", subject);
        json.WriteNumber("magic", 0);
    });

    public static byte[] ConfigValue(CompatibilityLevel level) => Write(json => json.WriteString("compatibilityLevel", level.ToWire()));

    /// <summary>The change a record makes; null for records this registry does not act on: other key types (Confluent's
    /// NOOP, MODE, …) and records that do not parse or hold an invalid schema — the topic is open to any Kafka client,
    /// and such a record must neither stop the registry nor remove what it has.</summary>
    public static RegistryChange? Parse(SchemaLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            using var key = JsonDocument.Parse(record.Key);
            var root = key.RootElement;
            var subject = root.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            switch (root.TryGetProperty("keytype", out var type) ? type.GetString() : null)
            {
                case SchemaKeyType when subject is not null && root.TryGetProperty("version", out var v) && v.TryGetInt32(out var version):
                    if (record.Value is null)
                    {
                        return new SchemaVersionChange(subject, version, null);
                    }

                    return ParseSchemaValue(subject, version, record.Value) is { } stored ? new SchemaVersionChange(subject, version, stored) : null;
                case ConfigKeyType:
                    if (record.Value is null)
                    {
                        return new ConfigChange(subject, null);
                    }

                    return ParseConfigValue(record.Value) is { } level ? new ConfigChange(subject, level) : null;
                default:
                    return null;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null; // not JSON, or a field of another JSON type
        }
    }

    private static SchemaVersion? ParseSchemaValue(string subject, int version, byte[] value)
    {
        using var json = JsonDocument.Parse(value);
        var root = json.RootElement;
        if (!root.TryGetProperty("id", out var id) || !id.TryGetInt32(out var schemaId)
            || !root.TryGetProperty("schema", out var text) || AvroSchemaDocument.TryParse(text.GetString(), out _) is not { } schema)
        {
            return null;
        }

        var deleted = root.TryGetProperty("deleted", out var flag) && flag.ValueKind == JsonValueKind.True;
        return new SchemaVersion(subject, version, schemaId, schema, deleted);
    }

    private static CompatibilityLevel? ParseConfigValue(byte[] value)
    {
        using var json = JsonDocument.Parse(value);
        return json.RootElement.TryGetProperty("compatibilityLevel", out var level) && CompatibilityLevels.TryParse(level.GetString(), out var parsed)
            ? parsed
            : null;
    }

    private static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        // Schemas keep their quotes as \" (not \u0022), so the topic reads like a Confluent registry's.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
