using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.CommandLine;

/// <summary>The executable's arguments: broker options plus the log level; or the reason they are wrong.</summary>
public sealed record CommandLineOptions(DevBrokerOptions Broker, LogLevel LogLevel, bool ShowHelp, string? Error)
{
    public const string Usage = """
        Usage: dotnet run --project DevBroker -- [options]
          --port <n>             TCP port (default 9092; 0 = any free port)
          --host <ip>            address to listen on (default 127.0.0.1)
          --advertised-host <h>  host name given to clients in Metadata (default: --host)
          --data-dir <path>      log directory (default data/kafka)
          --in-memory            keep everything in memory (nothing survives a restart)
          --schema-registry-port <n>
                                 HTTP port of the Confluent-compatible schema registry (default 8081; 0 = any free port)
          --no-schema-registry   serve no schema registry
          --partitions <n>       partitions of auto-created topics (default 1)
          --no-auto-create       do not create topics on first use
          --max-frame-bytes <n>  largest request accepted (default 104857600)
          --fsync                fsync every acks=all produce (default: flush to the OS only)
          --transport <t>        Sockets (default) or Kestrel
          --retention-ms <n>     default topic retention by time (-1 = forever)
          --log-level <level>    Trace, Debug, Information (default), Warning, Error
        """;

    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var broker = new DevBrokerOptions { DataDir = Path.Combine("data", "kafka"), SchemaRegistryPort = DevBrokerOptions.DefaultSchemaRegistryPort };
        var level = LogLevel.Information;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value.");
            try
            {
                switch (name)
                {
                    case "--port": broker.Port = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--host": broker.Host = Next(); break;
                    case "--advertised-host": broker.AdvertisedHost = Next(); break;
                    case "--data-dir": broker.DataDir = Next(); break;
                    case "--in-memory": broker.DataDir = null; break;
                    case "--schema-registry-port": broker.SchemaRegistryPort = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--no-schema-registry": broker.SchemaRegistryPort = null; break;
                    case "--partitions": broker.DefaultPartitions = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--no-auto-create": broker.AutoCreateTopics = false; break;
                    case "--max-frame-bytes":
                        broker.MaxFrameBytes = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                        broker.MaxMessageBytes = Math.Min(broker.MaxMessageBytes, broker.MaxFrameBytes); // a batch must fit in a request
                        break;
                    case "--fsync": broker.FsyncPolicy = FsyncPolicy.FsyncOnAcksAll; break;
                    case "--transport": broker.Transport = Enum.Parse<BrokerTransport>(Next(), ignoreCase: true); break;
                    case "--retention-ms": broker.RetentionMs = long.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--log-level": level = Enum.Parse<LogLevel>(Next(), ignoreCase: true); break;
                    case "-h" or "--help": return new CommandLineOptions(broker, level, true, null);
                    default: return new CommandLineOptions(broker, level, false, $"Unknown option '{name}'.");
                }
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                return new CommandLineOptions(broker, level, false, $"Bad value for {name}: {ex.Message}");
            }
        }

        var problems = broker.Validate();
        return new CommandLineOptions(broker, level, false, problems.Count == 0 ? null : string.Join(Environment.NewLine, problems));
    }
}
