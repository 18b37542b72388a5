namespace InventoryOrleans.Api.Telemetry;

/// <summary>
/// A host's <c>service.name</c>: OpenTelemetry's <c>OTEL_SERVICE_NAME</c> when set (a resource given in code would
/// override it), else the host's own default (<c>inventory-silo</c>, <c>inventory-api</c>).
/// </summary>
internal static class TelemetryServiceName
{
    public const string Key = "OTEL_SERVICE_NAME";

    public static string Of(IConfiguration configuration, string fallback) =>
        configuration[Key] is { Length: > 0 } configured && !string.IsNullOrWhiteSpace(configured) ? configured : fallback;
}
