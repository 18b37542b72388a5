using InventoryOrleans.Silo.Endpoints;
using InventoryOrleans.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultSiloUrl();
builder.AddSilo();

var app = builder.Build();
app.MapSilo();
app.Run();
