using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>A bug or a broken store still answers in the registry's shape — 500 with <c>{"error_code":500,…}</c>, as
/// Confluent's does — instead of Kestrel's empty 500, and is logged.</summary>
internal static partial class RegistryExceptionHandler
{
    public static IApplicationBuilder UseRegistryErrors(this IApplicationBuilder app, ILogger logger) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
#pragma warning disable CA1031 // Any failure of a request becomes that request's 500; the registry goes on serving.
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
            {
                Log.RequestFailed(logger, context.Request.Method, context.Request.Path, ex);
                await RegistryResults.Error(new RegistryError(500, 500, $"Internal Server Error: {ex.Message}")).ExecuteAsync(context);
            }
        });

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Schema registry request {Method} {Path} failed")]
        public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);
    }
}
