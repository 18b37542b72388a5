namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// Puts ProblemDetails around the whole pipeline of a host that adds the API: unhandled exceptions (through
/// <see cref="Rest.UnavailableExceptionHandler"/> for broken infrastructure) and every bare error status — an unknown
/// route's 404, a wrong method's 405, a malformed query's 400 — answer <c>application/problem+json</c>. A startup
/// filter, so the silo and the standalone host get it from <c>AddInventoryApi</c> alone.
/// </summary>
public sealed class ProblemDetailsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        next(app);
    };
}
