namespace InventoryOrleans.Silo.Embedded;

/// <summary>The embedded Garnet server (Redis protocol) of the default configuration: section <c>Garnet</c>.</summary>
public sealed class GarnetOptions
{
    public const string SectionName = "Garnet";

    /// <summary>Port on 127.0.0.1 (default 6380, beside a Redis on 6379).</summary>
    public int Port { get; set; } = 6380;

    /// <summary>Where the append-only file (each write on disk before it is answered) and checkpoints live (default <c>data/redis</c>).</summary>
    public string DataDir { get; set; } = "data/redis";
}
