using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InventoryOrleans.Api.Tests.Support;

/// <summary>HTTP and JSON helpers of the API tests.</summary>
public static class Json
{
    /// <summary>POSTs <paramref name="json"/> as it is (bytes, not re-serialized) with <c>Content-Type: application/json</c>.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient http, string path, string json) =>
        http.PostRawAsync(path, Encoding.UTF8.GetBytes(json));

    public static async Task<HttpResponseMessage> PostRawAsync(this HttpClient http, string path, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>PUTs <paramref name="json"/> as it is with <c>Content-Type: application/json</c>.</summary>
    public static async Task<HttpResponseMessage> PutRawAsync(this HttpClient http, string path, string json)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await http.PutAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>The body as a JSON node (null for an empty body).</summary>
    public static async Task<JsonNode?> BodyAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/>; returns its body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()), $"a ProblemDetails has a title: {body}");
        return problem;
    }

    /// <summary>Asserts a 400 ValidationProblemDetails whose <c>errors</c> name exactly <paramref name="field"/>.</summary>
    public static async Task<string> AssertValidationErrorAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblemAsync(400);
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null, $"a validation problem has an errors map: {problem}");
        Assert.Equal([field], errors.Select(e => e.Key));
        var messages = errors[field]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.NotEmpty(messages);
        return messages[0];
    }

    /// <summary>Deserializes with the web defaults (camelCase).</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web))!;
    }
}
