using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Grains;

/// <summary>Log messages of <see cref="ProductGrain"/>, source-generated because they sit on the ingest path.</summary>
internal static partial class ProductGrainLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Product {ProductId}: rejected invalid event {EventId}: {Problem}")]
    public static partial void InvalidEventRejected(ILogger logger, string productId, string eventId, string problem);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Product {ProductId}: writing the state failed; the activation drops its unsaved changes and reloads from storage")]
    public static partial void WriteFailed(ILogger logger, string productId, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Product {ProductId}: released {Count} expired reservations")]
    public static partial void ReservationsExpired(ILogger logger, string productId, int count);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Product {ProductId}: updating the expiry reminder failed after the state was saved; it is retried on the next write")]
    public static partial void ReminderUpdateFailed(ILogger logger, string productId, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Product {ProductId}: active on a silo that does not consume its partition; migrating to {Owner}")]
    public static partial void Migrating(ILogger logger, string productId, SiloAddress owner);
}
