using InventoryOrleans.Api.Hosting;
using InventoryOrleans.Silo;
using InventoryOrleans.Silo.Endpoints;
using InventoryOrleans.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddSilo();

// The silo co-hosts the API (REST on --urls, gRPC on Api__GrpcUrl), so the embedded default serves everything.
builder.AddInventoryApi();

return builder.RunOrRefuse(TelemetryExtensions.ServiceName, app =>
{
    app.MapSilo();
    app.MapInventoryApi();
});
