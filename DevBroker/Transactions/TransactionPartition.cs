namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>A topic-partition taking part in a transaction.</summary>
public readonly record struct TransactionPartition(string Topic, int Partition);
