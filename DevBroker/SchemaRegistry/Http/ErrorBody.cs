using System.Text.Json.Serialization;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>Confluent's error body: <c>{"error_code":40401,"message":"Subject 'x' not found."}</c>.</summary>
public sealed record ErrorBody([property: JsonPropertyName("error_code")] int ErrorCode, string Message);
