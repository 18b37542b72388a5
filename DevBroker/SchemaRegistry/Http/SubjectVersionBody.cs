namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>Where a schema id is used: <c>{"subject","version"}</c>.</summary>
public sealed record SubjectVersionBody(string Subject, int Version);
