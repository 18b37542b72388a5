using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>Plain HTTP against a schema registry, as curl would send it: each call gives the status, the content type
/// and the parsed JSON body, so a test can check Confluent's exact answers.</summary>
internal sealed class RegistryHttpClient(string baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };

    public Task<RegistryAnswer> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, null, accept);

    public Task<RegistryAnswer> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public Task<RegistryAnswer> PostAsync(string path, object body, string contentType = "application/vnd.schemaregistry.v1+json") =>
        SendAsync(HttpMethod.Post, path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, contentType));

    /// <summary>POST of a body as given (not serialized): for bodies that are not JSON.</summary>
    public Task<RegistryAnswer> PostTextAsync(string path, string body, string contentType) =>
        SendAsync(HttpMethod.Post, path, new StringContent(body, Encoding.UTF8, contentType));

    public Task<RegistryAnswer> PutAsync(string path, object body) =>
        SendAsync(HttpMethod.Put, path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/vnd.schemaregistry.v1+json"));

    /// <summary>POST /subjects/{subject}/versions with <c>{"schema": text}</c>.</summary>
    public Task<RegistryAnswer> RegisterAsync(string subject, string schema) => PostAsync($"subjects/{subject}/versions", new { schema });

    /// <summary>Registers and returns the id, failing the test on anything but 200.</summary>
    public async Task<int> RegisterOkAsync(string subject, string schema)
    {
        var answer = await RegisterAsync(subject, schema);
        Assert.True(answer.Status == 200, $"registering under {subject}: {answer}");
        return answer.Json!["id"]!.GetValue<int>();
    }

    public Task<RegistryAnswer> SetLevelAsync(string? subject, string level) =>
        PutAsync(subject is null ? "config" : $"config/{subject}", new { compatibility = level });

    public void Dispose() => _http.Dispose();

    private async Task<RegistryAnswer> SendAsync(HttpMethod method, string path, HttpContent? content, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Not JSON: the test sees the text.
        }

        return new RegistryAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, json);
    }
}
