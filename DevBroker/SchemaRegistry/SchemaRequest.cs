using System.Text.Json;

namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>The body of register, lookup and compatibility requests: <c>{"schema":…,"schemaType":…,"references":[…]}</c>
/// (Confluent's other fields — metadata, ruleSet, id, version — are accepted and ignored).</summary>
public sealed record SchemaRequest(string? Schema, string? SchemaType, IReadOnlyList<JsonElement>? References);
