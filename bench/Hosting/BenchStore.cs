using StackExchange.Redis;

namespace InventoryOrleans.Bench.Hosting;

/// <summary>
/// The Redis a benchmark keeps its state in, chosen by name (<c>--stores</c> / <c>--store</c>), so the cost of durable
/// acknowledgements is measured against a store that does not wait for the disk, in the same run.
/// </summary>
public abstract class BenchStore : IDisposable
{
    /// <summary>
    /// <c>memory</c>: redis-server without persistence (every benchmark's store before the choice existed);
    /// <c>everysec</c> / <c>always</c>: redis-server with an append-only file fsynced once a second / before answering;
    /// <c>garnet</c>: Garnet in this process, started as the silo starts its embedded one, the product storage sending
    /// <c>COMMITAOF</c> after each write as the silo does; <c>garnet-commit-wait</c>: the same Garnet answering every
    /// write only after its commit (<c>--aof-commit-wait</c>), no COMMITAOF; <c>garnet-before</c>: the embedded Garnet
    /// as it was started before either (RandomAccess device, writes answered before they reach the file).
    /// </summary>
    public static IReadOnlyList<string> Kinds { get; } = ["memory", "everysec", "always", "garnet", "garnet-commit-wait", "garnet-before"];

    /// <summary>The kind it was started as (one of <see cref="Kinds"/>).</summary>
    public abstract string Kind { get; }

    /// <summary>One line saying what runs, for the benchmark's output.</summary>
    public abstract string Description { get; }

    public abstract int Port { get; }

    /// <summary>What the product storage sends after each write so it is durable (<c>Redis:DurabilityCommand</c>), or null.</summary>
    public virtual string? DurabilityCommand => null;

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>The StackExchange.Redis configuration of this store, as the silo composition takes it.</summary>
    public ConfigurationOptions Configuration => ConfigurationOptions.Parse(ConnectionString);

    public static BenchStore Start(string kind) => kind switch
    {
        "memory" => LocalRedis.StartServer(appendFsync: null),
        "everysec" => LocalRedis.StartServer(appendFsync: "everysec"),
        "always" => LocalRedis.StartServer(appendFsync: "always"),
        "garnet" or "garnet-commit-wait" or "garnet-before" => BenchGarnet.StartServer(kind),
        _ => throw new ArgumentException($"unknown store '{kind}': use one of {string.Join(", ", Kinds)}", nameof(kind)),
    };

    /// <summary>A comma-separated list of kinds, checked before anything starts.</summary>
    public static IReadOnlyList<string> ParseList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var kinds = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = kinds.Where(k => !Kinds.Contains(k)).ToList();
        return unknown.Count == 0 && kinds.Length > 0
            ? kinds
            : throw new ArgumentException($"stores '{value}': use a comma-separated list of {string.Join(", ", Kinds)}", nameof(value));
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);

    /// <summary>A new temporary folder for a store's files.</summary>
    protected static string NewDataDirectory(string kind) => Directory.CreateTempSubdirectory($"bench-{kind}-").FullName;

    protected static void DeleteDataDirectory(string? directory)
    {
        if (directory is not null && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
