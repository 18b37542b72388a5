using System.Diagnostics;

namespace InventoryOrleans.Api.Telemetry;

/// <summary>
/// The API's spans, <c>InventoryOrleans.Api</c> (the name of its meter too): <c>post event</c> under ASP.NET Core's
/// (or gRPC's) server span, and the Kafka producer's <c>send {topic}</c> under it, whose context travels with the
/// produced record (<see cref="KafkaTraceHeaders"/>). Every host exports it (<see cref="InventoryTracingExtensions"/>).
/// </summary>
public static class ApiActivitySource
{
    public const string Name = ApiMeter.Name;

    internal static readonly ActivitySource Source = new(Name, typeof(ApiActivitySource).Assembly.GetName().Version?.ToString());
}
