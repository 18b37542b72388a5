namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>A schema by id: <c>{"schema":"…"}</c>.</summary>
public sealed record SchemaBody(string Schema);
