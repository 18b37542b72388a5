using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace InventoryOrleans.Api.Rest;

/// <summary>
/// Reads a request body as one JSON object, at most a given number of bytes: reading stops one byte past the limit,
/// so an oversize body costs no more than the limit. Any failure is a message for the <c>body</c> key of a 400.
/// </summary>
public static class JsonBody
{
    // Strict like the ingest's parser: no comments, no trailing commas, the same depth.
    private static readonly JsonDocumentOptions Strict = new() { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = 64 };

    /// <summary>The body as a JSON object, or why it is not one.</summary>
    public static async Task<(JsonObject? Body, string? Error)> ReadObjectAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tooLarge = $"the body is over {maxBytes} bytes, the most an event may be";
        if (request.ContentLength > maxBytes)
        {
            return (null, tooLarge);
        }

        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory[..Math.Min(memory.Length, maxBytes + 1 - buffer.WrittenCount)], cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return (null, tooLarge);
            }
        }

        return Parse(buffer.WrittenSpan);
    }

    private static (JsonObject? Body, string? Error) Parse(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return (null, "the body is empty: send a JSON object");
        }

        if (!Utf8.IsValid(json))
        {
            return (null, "the body is not valid UTF-8");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: Strict);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not valid JSON ({e.Message})");
        }

        return node is JsonObject body ? (body, null) : (null, $"the body must be a JSON object, not {Describe(node)}");
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        _ => $"a JSON {node.GetValueKind().ToString().ToLowerInvariant()}",
    };
}
