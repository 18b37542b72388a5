using Confluent.Kafka;
using Microsoft.AspNetCore.Diagnostics;

namespace InventoryOrleans.Api.Rest;

/// <summary>
/// Answers 503 ProblemDetails when a request failed because the cluster or the broker is out of reach (no silo
/// answers, a call timed out, Kafka refused), rather than a 500 that reads like a bug. Anything else stays a 500.
/// </summary>
public sealed partial class UnavailableExceptionHandler(IProblemDetailsService problems, ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        if (!IsUnavailable(exception))
        {
            return false;
        }

        Log.Unavailable(logger, httpContext.Request.Path, exception.GetType().Name, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = exception is KafkaException
                    ? "The Kafka broker could not be reached; try again."
                    : "The inventory cluster could not answer in time; try again.",
            },
        });
    }

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        KafkaException or TimeoutException or SiloUnavailableException or OrleansMessageRejectionException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsUnavailable),
        _ => false,
    };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "{Path}: 503, the cluster or broker is unavailable: {Error}: {Message}")]
        public static partial void Unavailable(ILogger logger, string path, string error, string message);
    }
}
