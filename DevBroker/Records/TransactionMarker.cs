namespace InventoryOrleans.DevBroker.Records;

/// <summary>The outcome a control batch records for its producer's transaction: its one record's key is
/// version (int16) and type (int16), 0 = ABORT, 1 = COMMIT.</summary>
public enum TransactionMarker
{
    /// <summary>A control record of another type, or one that cannot be read.</summary>
    Unknown = -1,
    Abort = 0,
    Commit = 1,
}
