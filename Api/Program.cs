using InventoryOrleans.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddInventoryApi();

var app = builder.Build();
app.MapInventoryApi();
app.Run();
