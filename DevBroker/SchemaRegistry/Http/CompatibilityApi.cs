using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>/compatibility: would this schema pass the subject's level, against one version or against what a
/// registration checks. <c>?verbose=true</c> adds the reasons.</summary>
internal static class CompatibilityApi
{
    public static void MapCompatibility(this IEndpointRouteBuilder routes)
    {
        var compatibility = routes.MapGroup("/compatibility/subjects/{subject}");
        compatibility.MapPost("/versions/{version}", CheckVersionAsync);
        compatibility.MapPost("/versions", CheckAllAsync);
    }

    private static Task<IResult> CheckVersionAsync(string subject, string version, HttpRequest request, Registry registry, bool verbose = false) =>
        CheckAsync(subject, version, request, registry, verbose);

    private static Task<IResult> CheckAllAsync(string subject, HttpRequest request, Registry registry, bool verbose = false) =>
        CheckAsync(subject, null, request, registry, verbose);

    private static async Task<IResult> CheckAsync(string subject, string? version, HttpRequest request, Registry registry, bool verbose)
    {
        var body = await RegistryHttpRequests.BodyAsync<SchemaRequest>(request);
        return body.Error is { } error
            ? RegistryResults.Error(error)
            : RegistryResults.From(
                registry.CheckCompatibility(RegistryHttpRequests.Subject(subject), version, body.Value),
                problems => new CompatibilityCheckBody(problems.Count == 0, verbose ? problems : null));
    }
}
