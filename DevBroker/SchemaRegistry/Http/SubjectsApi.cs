using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>/subjects: list, register, look up, read versions, delete. <c>?deleted=true</c> includes soft-deleted
/// versions where Confluent's registry takes it.</summary>
internal static class SubjectsApi
{
    public static void MapSubjects(this IEndpointRouteBuilder routes)
    {
        var subjects = routes.MapGroup("/subjects");
        subjects.MapGet("", ListSubjects);
        subjects.MapPost("/{subject}", LookupAsync);
        subjects.MapDelete("/{subject}", DeleteSubject);
        subjects.MapGet("/{subject}/versions", ListVersions);
        subjects.MapPost("/{subject}/versions", RegisterAsync);
        subjects.MapGet("/{subject}/versions/{version}", GetVersion);
        subjects.MapGet("/{subject}/versions/{version}/schema", GetVersionSchema);
    }

    private static IResult ListSubjects(Registry registry, bool deleted = false) => RegistryResults.Ok(registry.Subjects(deleted));

    private static async Task<IResult> RegisterAsync(string subject, HttpRequest request, Registry registry)
    {
        var body = await RegistryHttpRequests.BodyAsync<SchemaRequest>(request);
        return body.Error is { } error
            ? RegistryResults.Error(error)
            : RegistryResults.From(registry.Register(RegistryHttpRequests.Subject(subject), body.Value), id => new SchemaIdBody(id));
    }

    private static async Task<IResult> LookupAsync(string subject, HttpRequest request, Registry registry, bool deleted = false)
    {
        var body = await RegistryHttpRequests.BodyAsync<SchemaRequest>(request);
        return body.Error is { } error
            ? RegistryResults.Error(error)
            : RegistryResults.From(registry.Lookup(RegistryHttpRequests.Subject(subject), body.Value, deleted), RegisteredSchemaBody.From);
    }

    private static IResult ListVersions(string subject, Registry registry, bool deleted = false) =>
        RegistryResults.From(registry.Versions(RegistryHttpRequests.Subject(subject), deleted), versions => versions);

    private static IResult GetVersion(string subject, string version, Registry registry, bool deleted = false) =>
        RegistryResults.From(registry.Version(RegistryHttpRequests.Subject(subject), version, deleted), RegisteredSchemaBody.From);

    // The schema alone, as the body: what `curl …/versions/latest/schema > x.avsc` is for.
    private static IResult GetVersionSchema(string subject, string version, HttpRequest request, Registry registry, bool deleted = false)
    {
        var found = registry.Version(RegistryHttpRequests.Subject(subject), version, deleted);
        return found.Error is { } error
            ? RegistryResults.Error(error)
            : Results.Content(found.Value!.Schema.Canonical, RegistryContentTypes.For(request));
    }

    private static IResult DeleteSubject(string subject, Registry registry, bool permanent = false) =>
        RegistryResults.From(registry.DeleteSubject(RegistryHttpRequests.Subject(subject), permanent), versions => versions);
}
