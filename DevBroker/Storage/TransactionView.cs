namespace InventoryOrleans.DevBroker.Storage;

/// <summary>What a read_committed Fetch needs from a partition, taken at one moment: the last stable offset (reads stop
/// there) and the aborted transactions that overlap the offsets from the fetch position up to it.</summary>
internal readonly record struct TransactionView(long LastStableOffset, IReadOnlyList<AbortedTransaction> AbortedTransactions);
