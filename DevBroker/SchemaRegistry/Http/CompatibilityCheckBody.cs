using System.Text.Json.Serialization;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary><c>{"is_compatible":true}</c>; with <c>?verbose=true</c> also the reasons, as <c>"messages"</c>.</summary>
public sealed record CompatibilityCheckBody(
    [property: JsonPropertyName("is_compatible")] bool IsCompatible,
    IReadOnlyList<string>? Messages);
