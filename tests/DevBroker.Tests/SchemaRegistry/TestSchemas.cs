using System.Text.Json.Nodes;

namespace InventoryOrleans.DevBroker.Tests.SchemaRegistry;

/// <summary>The contract's InventoryEvent.avsc (a copy of shared/api/avro's, beside these tests) and schemas derived
/// from it, plus small records for the compatibility rules.</summary>
internal static class TestSchemas
{
    public static string InventoryEventPath => Path.Combine(AppContext.BaseDirectory, "SchemaRegistry", "InventoryEvent.avsc");

    public static string InventoryEvent => File.ReadAllText(InventoryEventPath);

    /// <summary>InventoryEvent with one more field appended.</summary>
    public static string InventoryEventWith(string fieldJson)
    {
        var schema = JsonNode.Parse(InventoryEvent)!.AsObject();
        schema["fields"]!.AsArray().Add(JsonNode.Parse(fieldJson));
        return schema.ToJsonString();
    }

    /// <summary>A record <c>test.R</c> with the given fields (JSON objects, comma-separated).</summary>
    public static string Record(string fields) => $$"""{"type":"record","name":"R","namespace":"test","fields":[{{fields}}]}""";
}
