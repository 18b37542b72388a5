namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>One partition of a Fetch request.</summary>
internal readonly record struct FetchPartition(int Partition, long FetchOffset, int MaxBytes);
