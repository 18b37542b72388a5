using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>/config: the global compatibility level and each subject's own. A subject without its own level answers
/// 40408 unless <c>?defaultToGlobal=true</c>.</summary>
internal static class ConfigApi
{
    public static void MapConfig(this IEndpointRouteBuilder routes)
    {
        var config = routes.MapGroup("/config");
        config.MapGet("", (Registry registry) => RegistryResults.Ok(new ConfigBody(registry.GlobalLevel().ToWire())));
        config.MapPut("", SetGlobalAsync);
        config.MapGet("/{subject}", GetSubject);
        config.MapPut("/{subject}", SetSubjectAsync);
        config.MapDelete("/{subject}", DeleteSubject);
    }

    private static Task<IResult> SetGlobalAsync(HttpRequest request, Registry registry) => SetAsync(null, request, registry);

    private static Task<IResult> SetSubjectAsync(string subject, HttpRequest request, Registry registry) =>
        SetAsync(RegistryHttpRequests.Subject(subject), request, registry);

    private static async Task<IResult> SetAsync(string? subject, HttpRequest request, Registry registry)
    {
        var body = await RegistryHttpRequests.BodyAsync<ConfigRequest>(request);
        return body.Error is { } error
            ? RegistryResults.Error(error)
            : RegistryResults.From(registry.SetLevel(subject, body.Value), level => new ConfigUpdateBody(level.ToWire()));
    }

    private static IResult GetSubject(string subject, Registry registry, bool defaultToGlobal = false) =>
        RegistryResults.From(registry.SubjectLevel(RegistryHttpRequests.Subject(subject), defaultToGlobal), level => new ConfigBody(level.ToWire()));

    private static IResult DeleteSubject(string subject, Registry registry) =>
        RegistryResults.From(registry.DeleteSubjectLevel(RegistryHttpRequests.Subject(subject)), level => new ConfigBody(level.ToWire()));
}
