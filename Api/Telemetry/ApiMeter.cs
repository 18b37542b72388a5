namespace InventoryOrleans.Api.Telemetry;

/// <summary>
/// The API's own meter: what a host of the API holds for its clients (stock watches, the low-stock board). Every host
/// exports it (<see cref="InventoryMetricsExtensions.AddInventoryMetrics"/>).
/// </summary>
public static class ApiMeter
{
    public const string Name = "InventoryOrleans.Api";
}
