namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>Checks the schema a request carries, as Confluent's registry does before it looks at any subject.</summary>
internal static class RegistryRequests
{
    /// <summary>The parsed Avro schema, or 42201: no schema, a schema type other than AVRO, references (not served
    /// here), or text that is not a valid Avro schema.</summary>
    public static RegistryOutcome<AvroSchemaDocument> Schema(SchemaRequest? request)
    {
        if (request?.Schema is not { } text)
        {
            return RegistryError.InvalidSchema("the request has no \"schema\"");
        }

        if (request.SchemaType is { } type && !string.Equals(type, "AVRO", StringComparison.OrdinalIgnoreCase))
        {
            return RegistryError.InvalidSchemaType(type);
        }

        if (request.References is { Count: > 0 })
        {
            return RegistryError.InvalidSchema("schema references are not served by the DevBroker's registry");
        }

        return AvroSchemaDocument.TryParse(text, out var problem) is { } schema ? schema : RegistryError.InvalidSchema(problem!);
    }
}
