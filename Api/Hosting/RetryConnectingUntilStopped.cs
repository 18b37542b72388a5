namespace InventoryOrleans.Api.Hosting;

/// <summary>Keeps the Api host's Orleans client trying to reach the cluster (every two seconds, logged) until the host stops.</summary>
public sealed partial class RetryConnectingUntilStopped(ILogger<RetryConnectingUntilStopped> logger, TimeProvider time) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Log.Retrying(logger, exception.GetType().Name, exception.Message);
        try
        {
            await Task.Delay(Pause, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the Orleans cluster yet ({Error}: {Message}); trying again")]
        public static partial void Retrying(ILogger logger, string error, string message);
    }
}
