using InventoryOrleans.Api.Hosting;
using InventoryOrleans.Api.Telemetry;

// The inventory API on its own: an Orleans client of the silos' cluster with its own Kafka producer.
var builder = WebApplication.CreateBuilder(args);
builder.AddApiHost();
builder.AddInventoryApi();
builder.AddInventoryMetrics(ApiHostExtensions.ServiceName);
builder.AddInventoryTracing(ApiHostExtensions.ServiceName);

return builder.RunOrRefuse(ApiHostExtensions.ServiceName, app =>
{
    app.MapInventoryMetrics();
    app.MapInventoryApi();
});
