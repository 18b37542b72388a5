namespace InventoryOrleans.Runtime;

/// <summary>A storage write or clear found a different ETag than expected: another writer owns this grain now.</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException()
    {
    }

    public InconsistentStateException(string message)
        : base(message)
    {
    }

    public InconsistentStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The ETag the writer expected.</summary>
    public string? ExpectedEtag { get; init; }

    /// <summary>The ETag storage holds (null when the record is gone).</summary>
    public string? StoredEtag { get; init; }
}
