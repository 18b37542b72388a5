using System.Runtime.InteropServices;
using InventoryOrleans.DevBroker;
using InventoryOrleans.DevBroker.CommandLine;
using Microsoft.Extensions.Logging;

// Composition only: parse the arguments, start the broker, wait for Ctrl+C / SIGTERM, stop it.
var command = CommandLineOptions.Parse(args);
if (command.ShowHelp || command.Error is not null)
{
    if (command.Error is not null)
    {
        await Console.Error.WriteLineAsync(command.Error);
    }

    Console.WriteLine(CommandLineOptions.Usage);
    return command.Error is null ? 0 : 2;
}

using var loggerFactory = LoggerFactory.Create(logging => logging
    .SetMinimumLevel(command.LogLevel)
    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning) // the schema registry's Kestrel: no line per request
    .AddSimpleConsole(console => console.SingleLine = true));

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

await using var server = await DevBrokerServer.StartAsync(command.Broker, loggerFactory);
Console.WriteLine($"DevBroker listening on {command.Broker.Host}:{server.Port}");
if (server.SchemaRegistryUrl is { } registryUrl)
{
    Console.WriteLine($"Schema registry listening on {registryUrl}");
}

await stop.Task;
await server.StopAsync();
return 0;

void OnSignal(PosixSignalContext context)
{
    context.Cancel = true; // Stop cleanly instead of being killed.
    stop.TrySetResult();
}
