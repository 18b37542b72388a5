using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;

namespace InventoryOrleans.Api.Page;

/// <summary>
/// The inventory page at <c>/</c> and its files under <c>/page/</c>: static HTML, CSS and JavaScript from
/// <see cref="PageAssets"/> that read the open routes (<c>/api/ops/stats</c>, <c>/api/low-stock</c>, the stock change
/// stream). Open to everyone, like every read; cached by ETag (revalidated each time, so a new build shows at once).
/// </summary>
public static class InventoryPageExtensions
{
    public const string AssetPath = "/page";

    // The page links the Orleans dashboard where this host serves one (a silo); an Api host says where it is instead.
    private const string DashboardMarker = "data-dashboard=\"/dashboard\"";

    // Everything the page loads comes from this host, and it has no inline script or style.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapInventoryPage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var assets = PageAssets.Load();
        var index = assets.Find("index.html") ?? throw new InvalidOperationException("the inventory page's index.html is not embedded in the Api assembly");

        // Decided on the first request, when every route of the host is mapped.
        var page = new Lazy<PageAsset>(() => HasDashboard(endpoints) ? index : WithoutDashboard(index));
        endpoints.MapGet("/", (HttpContext context) => Serve(context, page.Value))
            .WithName("InventoryPage")
            .ExcludeFromDescription();
        endpoints.MapGet(AssetPath + "/{name}", (string name, HttpContext context) =>
                assets.Find(name) is { } asset ? Serve(context, asset) : TypedResults.NotFound())
            .ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Serve(HttpContext context, PageAsset asset)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";

        // Answers 304 to a matching If-None-Match.
        return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
    }

    private static bool HasDashboard(IEndpointRouteBuilder endpoints) => endpoints.DataSources
        .SelectMany(source => source.Endpoints)
        .OfType<RouteEndpoint>()
        .Any(endpoint => endpoint.RoutePattern.PathSegments is [{ Parts: [RoutePatternLiteralPart { Content: "dashboard" }] }, ..]);

    private static PageAsset WithoutDashboard(PageAsset index) => PageAsset.From(
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(index.Content).Replace(DashboardMarker, "data-dashboard=\"\"", StringComparison.Ordinal)),
        index.ContentType);
}
