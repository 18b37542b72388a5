using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>What the HTTP layer reads from a request beyond ASP.NET Core's binding.</summary>
internal static class RegistryHttpRequests
{
    /// <summary>The JSON body, whatever the content type says: registry clients send
    /// application/vnd.schemaregistry.v1+json, curl users often nothing or form types, and each should get the
    /// registry's own answer — an empty body is null, unparsable JSON 400.</summary>
    public static async Task<RegistryOutcome<T?>> BodyAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            return string.IsNullOrWhiteSpace(text) ? new RegistryOutcome<T?>(null, null) : JsonSerializer.Deserialize<T>(text, RegistryJsonResult.Options);
        }
        catch (JsonException ex)
        {
            return RegistryError.BadRequest(ex.Message);
        }
    }

    /// <summary>A subject from the path. Routing leaves an encoded slash (%2F) encoded — it would otherwise split the
    /// path — so a subject with a slash, as Confluent's clients escape it, is decoded here.</summary>
    public static string Subject(string routeValue) =>
        routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
