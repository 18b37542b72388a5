namespace InventoryOrleans.DevBroker.Cluster;

/// <summary>A topic as persisted in DataDir/topics.json.</summary>
internal sealed record TopicRecord(string Name, Guid Id, int Partitions, Dictionary<string, string> Configs);
