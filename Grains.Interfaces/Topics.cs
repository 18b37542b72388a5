namespace InventoryOrleans.Grains.Interfaces;

/// <summary>Topic names of docs/CONTRACTS.md.</summary>
public static class Topics
{
    public const string Snapshots = "inventory.snapshots";
    public const string Sales = "inventory.sales";
    public const string Events = "inventory.events";
    public const string NetStock = "inventory.net-stock";
    public const string Outcomes = "inventory.outcomes";
    public const string DeadLetter = "inventory.dlq";
    public const string Alerts = "inventory.alerts";

    /// <summary>
    /// Holds no records: the silos' consumer group commits, with each Kafka transaction, an offset on partition
    /// <i>p</i> of this topic that names the last committed publication attempt of input partition <i>p</i>
    /// (<see cref="PublicationMark"/>). It has the inputs' partition count and the group subscribes to it, so the range
    /// assignor gives its partition <i>p</i> to the owner of input partition <i>p</i> and Kafka never expires the offset.
    /// </summary>
    public const string PublicationMarks = "inventory.publication-marks";

    /// <summary>The input topics, which must share one partition count.</summary>
    public static IReadOnlyList<string> Inputs { get; } = [Snapshots, Sales, Events];

    /// <summary>What the silos' consumer group subscribes to: the inputs and the publication marks.</summary>
    public static IReadOnlyList<string> Subscribed { get; } = [Snapshots, Sales, Events, PublicationMarks];
}
