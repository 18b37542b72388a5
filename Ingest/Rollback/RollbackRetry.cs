using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;
using Polly.Telemetry;

namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// The retry of the rollback check's reads (the ingest progress and recorded rollbacks in Redis, the group's committed
/// offsets in Kafka), as a Polly pipeline: exponential backoff from 200 ms to 5 s, without end, since a check that gave
/// up would leave a partition unchecked; the check runs off the ingest's thread and ends with its cancellation.
/// </summary>
internal static class RollbackRetry
{
    /// <summary>The pipeline's name (its metrics carry it as <c>pipeline.name</c>).</summary>
    public const string PipelineName = "inventory-rollback-check";

    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddRollbackRetry(this IServiceCollection services)
    {
        // The check logs a run of failures once, at its start and its end: Polly's line per retry (a warning by default)
        // is a debug line for this pipeline; every retry is still counted in Polly's metrics.
        services.Configure<TelemetryOptions>(options =>
        {
            var earlier = options.SeverityProvider;
            options.SeverityProvider = args => args.Source.PipelineName == PipelineName
                ? ResilienceEventSeverity.Debug
                : earlier?.Invoke(args) ?? args.Event.Severity;
        });
        return services.AddResiliencePipeline(PipelineName, static (builder, context) =>
        {
            builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(static e => e is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = First,
                MaxDelay = Max,
                UseJitter = false,
            });
        });
    }
}
