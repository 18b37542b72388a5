namespace InventoryOrleans.DevBroker.Records;

/// <summary>The type in a control record's key: a transaction marker ends a producer's transaction on a partition.</summary>
#pragma warning disable CA1028 // The wire type is int16.
public enum ControlRecordType : short
{
    Abort = 0,
    Commit = 1,
}
#pragma warning restore CA1028
