using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>/schemas: a schema by its global id (what a deserializer asks for), where the id is used, the types served.</summary>
internal static class SchemasApi
{
    public static void MapSchemas(this IEndpointRouteBuilder routes)
    {
        var schemas = routes.MapGroup("/schemas");
        schemas.MapGet("/types", () => RegistryResults.Ok(new[] { "AVRO" }));
        schemas.MapGet("/ids/{id}", GetById);
        schemas.MapGet("/ids/{id}/schema", GetRawById);
        schemas.MapGet("/ids/{id}/versions", GetVersionsOfId);
    }

    // An id that is not a number is no schema's (Confluent answers 404 for it too).
    private static IResult GetById(string id, Registry registry) =>
        int.TryParse(id, out var number)
            ? RegistryResults.From(registry.SchemaById(number), schema => new SchemaBody(schema.Canonical))
            : RegistryResults.Error(RegistryError.NotFound());

    private static IResult GetRawById(string id, HttpRequest request, Registry registry)
    {
        if (!int.TryParse(id, out var number))
        {
            return RegistryResults.Error(RegistryError.NotFound());
        }

        var found = registry.SchemaById(number);
        return found.Error is { } error ? RegistryResults.Error(error) : Results.Content(found.Value!.Canonical, RegistryContentTypes.For(request));
    }

    private static IResult GetVersionsOfId(string id, Registry registry, bool deleted = false) =>
        int.TryParse(id, out var number)
            ? RegistryResults.From(registry.VersionsOfId(number, deleted), uses => uses.Select(v => new SubjectVersionBody(v.Subject, v.Version)).ToList())
            : RegistryResults.Error(RegistryError.NotFound());
}
