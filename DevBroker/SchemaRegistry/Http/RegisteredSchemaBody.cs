namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>A subject's version: <c>{"subject","version","id","schema"}</c> (no schemaType: Confluent leaves it out for AVRO).</summary>
public sealed record RegisteredSchemaBody(string Subject, int Version, int Id, string Schema)
{
    public static RegisteredSchemaBody From(SchemaVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new RegisteredSchemaBody(version.Subject, version.Version, version.Id, version.Schema.Canonical);
    }
}
