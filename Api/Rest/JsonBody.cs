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

        return Parse(buffer.WrittenMemory);
    }

    private static (JsonObject? Body, string? Error) Parse(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            return (null, "the body is empty: send a JSON object");
        }

        if (!Utf8.IsValid(json.Span))
        {
            return (null, "the body is not valid UTF-8");
        }

        JsonNode? node;
        try
        {
            using var document = JsonDocument.Parse(json, Strict);
            node = ToNode(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            return (null, $"the body is not valid JSON ({e.Message})");
        }
        catch (InvalidOperationException)
        {
            // Valid JSON can escape half a surrogate pair ("\ud800"), which is no text: it cannot be read as a string
            // or written again, so nothing could be produced from it.
            return (null, "the body holds a string that is not valid Unicode (an escaped lone surrogate such as \\ud800)");
        }

        return node is JsonObject body ? (body, null) : (null, $"the body must be a JSON object, not {Describe(node)}");
    }

    // JsonNode.Parse would keep a repeated property name and throw once the object is read, a 500. The ingest's parser
    // takes the last value of a repeated name, so the body is read the same way: last wins, at every depth (at most
    // MaxDepth), and what is produced names each property once. Values stay the elements read, so a number reaches
    // the parser as written (1e400 stays 1e400, not a double).
    private static JsonNode? ToNode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var json = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    // The name is decoded here, and so checked (see the caller).
                    json[property.Name] = ToNode(property.Value);
                }

                return json;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(ToNode(item));
                }

                return array;
            case JsonValueKind.String:
                // Decoded once to check it is text (see the caller).
                _ = element.GetString();
                return JsonValue.Create(element);
            default:
                return JsonValue.Create(element);
        }
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        _ => $"a JSON {node.GetValueKind().ToString().ToLowerInvariant()}",
    };
}
