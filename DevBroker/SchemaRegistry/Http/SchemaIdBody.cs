namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>The answer to a registration: <c>{"id":1}</c>.</summary>
public sealed record SchemaIdBody(int Id);
