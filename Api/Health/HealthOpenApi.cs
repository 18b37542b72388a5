using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InventoryOrleans.Api.Health;

/// <summary>
/// Describes <c>/healthz</c> and <c>/readyz</c> in the OpenAPI document, which lists every route of the HTTP API: the
/// health checks middleware's endpoints carry no handler for OpenAPI to describe.
/// </summary>
internal sealed class HealthOpenApi : IOpenApiDocumentTransformer
{
    private const string Tag = "Health";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Paths ??= [];
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = Tag });
        document.Paths[HealthEndpoints.Liveness] = Get(document, "Liveness: 200 while the process answers.", ("200", "alive"));
        document.Paths[HealthEndpoints.Readiness] = Get(
            document,
            "Readiness, each check by name with what it found.",
            ("200", "every check passes"),
            ("503", "a check fails"));
        return Task.CompletedTask;
    }

    private static OpenApiPathItem Get(OpenApiDocument document, string summary, params (string Status, string Description)[] responses)
    {
        var answers = new OpenApiResponses();
        foreach (var (status, description) in responses)
        {
            answers[status] = new OpenApiResponse { Description = description };
        }

        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    Summary = summary,
                    Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
                    Responses = answers,
                },
            },
        };
    }
}
