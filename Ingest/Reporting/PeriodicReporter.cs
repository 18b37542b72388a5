using InventoryOrleans.Ingest.Logging;
using Microsoft.Extensions.Hosting;

namespace InventoryOrleans.Ingest.Reporting;

/// <summary>
/// A background loop that reports something of this silo to a grain, then waits for the next turn. A failed report
/// is retried at the next turn and logged only when a run of failures starts and when it ends (one line per state
/// change, never one per attempt).
/// </summary>
public abstract class PeriodicReporter : BackgroundService
{
    /// <summary>One report; an exception other than cancellation counts as a failed turn.</summary>
    protected abstract Task ReportAsync(CancellationToken stoppingToken);

    /// <summary>Waits until the next report is due.</summary>
    protected abstract Task WaitForNextTurnAsync(CancellationToken stoppingToken);

    /// <summary>Logs that reports began to fail.</summary>
    protected abstract void LogFailed(Exception exception);

    /// <summary>Logs that reports work again.</summary>
    protected abstract void LogRecovered();

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = new FailureRun();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReportAsync(stoppingToken);
                if (failures.Succeeded())
                {
                    LogRecovered();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (failures.Failed())
                {
                    LogFailed(e);
                }
            }

            try
            {
                await WaitForNextTurnAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
