using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>A JSON answer in the negotiated registry media type (ASP.NET Core's own JSON results always say
/// application/json, and its ProblemDetails are not the error bodies registry clients parse).</summary>
internal sealed class RegistryJsonResult(object value, int status) : IResult
{
    /// <summary>camelCase names as Confluent's Jackson writes them; nulls (such as non-verbose messages) left out; quotes
    /// and apostrophes as <c>\"</c> and <c>'</c>, not <c>\u0022</c> (the answers are JSON for clients, never HTML).</summary>
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = RegistryContentTypes.For(httpContext.Request);
        await JsonSerializer.SerializeAsync(httpContext.Response.Body, value, value.GetType(), Options, httpContext.RequestAborted);
    }
}
