using Garnet;
using InventoryOrleans.Silo.Embedded;

namespace InventoryOrleans.Bench.Hosting;

/// <summary>
/// Garnet in the benchmark's process on a free port with its data in a temporary folder: started with the silo's own
/// embedded-server arguments (<see cref="EmbeddedGarnet.ServerArguments"/>) and its durability command, or with
/// <c>--aof-commit-wait</c> instead of the command, or as embedded before either, for comparison.
/// </summary>
public sealed class BenchGarnet : BenchStore
{
    private readonly GarnetServer _server;
    private readonly string _dataDirectory;

    private BenchGarnet(GarnetServer server, int port, string dataDirectory, string kind)
    {
        _server = server;
        Port = port;
        _dataDirectory = dataDirectory;
        Kind = kind;
    }

    public override string Kind { get; }

    public override string Description => Kind switch
    {
        "garnet" => $"Garnet in process, as the silo embeds it (FileStream device, O_SYNC), {EmbeddedGarnet.DurabilityCommand} after each storage write",
        "garnet-commit-wait" => "Garnet in process, FileStream device (O_SYNC) with --aof-commit-wait, no durability command",
        _ => "Garnet in process, as embedded before: RandomAccess device (O_DIRECT, no flush), answered before the file has a write",
    };

    public override int Port { get; }

    public override string? DurabilityCommand => Kind == "garnet" ? EmbeddedGarnet.DurabilityCommand : null;

    /// <summary>Starts <c>garnet</c>, <c>garnet-commit-wait</c> or <c>garnet-before</c> (see <see cref="BenchStore.Kinds"/>).</summary>
    public static BenchGarnet StartServer(string kind)
    {
        var port = FreePort.Next();
        var dataDirectory = NewDataDirectory(kind);
        var arguments = EmbeddedGarnet.ServerArguments(port, dataDirectory).ToList();
        if (kind == "garnet-commit-wait")
        {
            arguments.Add("--aof-commit-wait");
        }
        else if (kind == "garnet-before")
        {
            arguments[arguments.IndexOf("FileStream")] = "RandomAccess";
        }

        var server = new GarnetServer([.. arguments]);
        server.Start();
        return new BenchGarnet(server, port, dataDirectory, kind);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _server.Dispose();
            DeleteDataDirectory(_dataDirectory);
        }
    }
}
