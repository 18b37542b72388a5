using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;

namespace InventoryOrleans.Api.Page;

/// <summary>
/// The inventory page's files (<c>Api/Page/assets/</c>), embedded in this assembly under <c>page/</c>, so every host
/// of the API serves them from <c>dotnet run</c> and from a published output alike, with nothing on disk to find.
/// Read once; each keeps its content type and an ETag of its bytes.
/// </summary>
public sealed class PageAssets
{
    private const string ResourcePrefix = "page/";

    private readonly FrozenDictionary<string, PageAsset> _assets;

    private PageAssets(FrozenDictionary<string, PageAsset> assets) => _assets = assets;

    public static PageAssets Load()
    {
        var assembly = typeof(PageAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(
                name => name[ResourcePrefix.Length..],
                name => PageAsset.From(Read(assembly, name), ContentType(types, name)),
                StringComparer.Ordinal);
        return new PageAssets(assets);
    }

    /// <summary>The file called <paramref name="name"/> (no folders), or null.</summary>
    public PageAsset? Find(string name) => _assets.GetValueOrDefault(name);

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentType(FileExtensionContentTypeProvider types, string name)
    {
        var type = types.TryGetContentType(name, out var known) ? known : "application/octet-stream";

        // Text is UTF-8 in the repository; saying so keeps a browser from guessing.
        return type.StartsWith("text/", StringComparison.Ordinal) || type == "image/svg+xml"
            ? type + "; charset=utf-8"
            : type;
    }
}
