namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>
/// An expected failure, answered as Confluent's registry answers it: HTTP status plus the body
/// <c>{"error_code":…,"message":…}</c>, with Confluent's codes and message texts.
/// </summary>
public sealed record RegistryError(int Status, int Code, string Message)
{
    public static RegistryError SubjectNotFound(string subject) => new(404, 40401, $"Subject '{subject}' not found.");

    public static RegistryError VersionNotFound(int version) => new(404, 40402, $"Version {version} not found.");

    public static RegistryError SchemaNotFound() => new(404, 40403, "Schema not found");

    public static RegistryError SchemaNotFound(int id) => new(404, 40403, $"Schema {id} not found");

    public static RegistryError SubjectSoftDeleted(string subject) =>
        new(404, 40404, $"Subject '{subject}' was soft deleted.Set permanent=true to delete permanently");

    public static RegistryError SubjectNotSoftDeleted(string subject) =>
        new(404, 40405, $"Subject '{subject}' was not deleted first before being permanently deleted");

    public static RegistryError SubjectLevelNotConfigured(string subject) =>
        new(404, 40408, $"Subject '{subject}' does not have subject-level compatibility configured");

    /// <summary>Error code 409 as Confluent's registry before 8.0 answers (8.0 moved to 40901; clients look at the status).</summary>
    public static RegistryError Incompatible(string subject, IReadOnlyList<string> problems) =>
        new(409, 409, $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{string.Join("; ", problems)}]");

    public static RegistryError InvalidSchema(string details) => new(422, 42201, $"Invalid schema of type AVRO, details: {details}");

    public static RegistryError InvalidSchemaType(string type) => new(422, 42201, $"Invalid schema type {type}");

    public static RegistryError InvalidVersion(string version) =>
        new(422, 42202, $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");

    public static RegistryError InvalidCompatibilityLevel() =>
        new(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");

    /// <summary>A request body that is not the JSON the endpoint takes.</summary>
    public static RegistryError BadRequest(string details) => new(400, 400, $"Bad Request: {details}");

    public static RegistryError NotFound() => new(404, 404, "HTTP 404 Not Found");

    /// <summary>The store failed (Confluent's 50001): the registry could not write <c>_schemas</c>.</summary>
    public static RegistryError StoreError(string details) => new(500, 50001, $"Error in the backend data store: {details}");
}
