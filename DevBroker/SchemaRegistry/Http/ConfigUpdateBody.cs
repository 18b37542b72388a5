namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>PUT /config answers with what it set, in the request's shape: <c>{"compatibility":"FULL"}</c>.</summary>
public sealed record ConfigUpdateBody(string Compatibility);
