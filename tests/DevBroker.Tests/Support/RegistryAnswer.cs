using System.Text.Json.Nodes;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>A registry's HTTP answer: status, media type, body text and the body as JSON (null when it is none).</summary>
internal sealed record RegistryAnswer(int Status, string? ContentType, string Text, JsonNode? Json)
{
    /// <summary>Confluent's error body's code, or null.</summary>
    public int? ErrorCode => Json is JsonObject error && error["error_code"] is { } code ? code.GetValue<int>() : null;

    public string? Message => Json is JsonObject error ? error["message"]?.GetValue<string>() : null;

    public override string ToString() => $"{Status} {ContentType} {Text}";
}
