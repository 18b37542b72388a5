using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>The Confluent Schema Registry REST API the DevBroker serves (see DevBroker/README.md, "Schema registry").</summary>
internal static class SchemaRegistryApi
{
    public static IEndpointRouteBuilder MapSchemaRegistry(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => RegistryResults.Ok(new Dictionary<string, string>())); // Confluent answers {} at its root
        routes.MapSubjects();
        routes.MapSchemas();
        routes.MapCompatibility();
        routes.MapConfig();

        // Anything else gets Confluent's 404 body rather than an empty page, so clients report it as the registry's.
        routes.MapFallback(() => RegistryResults.Error(RegistryError.NotFound()));
        return routes;
    }
}
