using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Runtime;

/// <summary>The runtime's log messages (source-generated).</summary>
internal static partial class GrainRuntimeLog
{
    [LoggerMessage(1, LogLevel.Warning, "Activation of grain {GrainType}/{Key} failed; the call fails and the next call retries")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, string grainType, string key);

    [LoggerMessage(2, LogLevel.Warning, "OnDeactivateAsync of grain {GrainType}/{Key} failed (reason {Reason}); the activation is dropped anyway")]
    public static partial void DeactivationFailed(ILogger logger, Exception exception, string grainType, string key, DeactivationReason reason);

    [LoggerMessage(3, LogLevel.Debug, "Deactivated grain {GrainType}/{Key} (reason {Reason})")]
    public static partial void Deactivated(ILogger logger, string grainType, string key, DeactivationReason reason);

    [LoggerMessage(4, LogLevel.Debug, "Idle collection deactivated {Count} activations")]
    public static partial void CollectedIdle(ILogger logger, int count);
}
