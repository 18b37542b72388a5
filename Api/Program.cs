using InventoryOrleans.Api.Hosting;

// The inventory API on its own: an Orleans client of the silos' cluster with its own Kafka producer.
var builder = WebApplication.CreateBuilder(args);
builder.AddApiHost();
builder.AddInventoryApi();

var app = builder.Build();
app.MapApiHostHealth();
app.MapInventoryApi();
app.Run();
