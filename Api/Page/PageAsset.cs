using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace InventoryOrleans.Api.Page;

/// <summary>One file of the page: its bytes, content type and strong ETag.</summary>
public sealed record PageAsset(byte[] Content, string ContentType, EntityTagHeaderValue ETag)
{
    public static PageAsset From(byte[] content, string contentType)
    {
        ArgumentNullException.ThrowIfNull(content);
        var hash = Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12));
        return new PageAsset(content, contentType, new EntityTagHeaderValue($"\"{hash}\""));
    }
}
