namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>GET /config answers <c>{"compatibilityLevel":"BACKWARD"}</c>.</summary>
public sealed record ConfigBody(string CompatibilityLevel);
