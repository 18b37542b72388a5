using Microsoft.AspNetCore.Http;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>The media types the registry answers in, chosen by the request's Accept header as Confluent's does.</summary>
internal static class RegistryContentTypes
{
    public const string V1 = "application/vnd.schemaregistry.v1+json";

    public const string Json = "application/json";

    /// <summary>application/json only for a client that asks for it and not for the registry's own type (Confluent's
    /// clients list both, curl sends */*): everyone else gets the registry's type.</summary>
    public static string For(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains(Json, StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("application/vnd.schemaregistry", StringComparison.OrdinalIgnoreCase)
            ? Json
            : V1;
    }
}
