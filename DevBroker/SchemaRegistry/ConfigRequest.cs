namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>The body of PUT /config and /config/{subject}: <c>{"compatibility":"FULL"}</c>.</summary>
public sealed record ConfigRequest(string? Compatibility);
