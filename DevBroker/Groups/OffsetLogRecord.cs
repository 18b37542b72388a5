namespace InventoryOrleans.DevBroker.Groups;

/// <summary>
/// One line of the offsets log: a commit (<see cref="Offsets"/>), a completed generation (<see cref="ProtocolType"/>,
/// <see cref="Generation"/>) or a deleted group.
/// </summary>
public sealed record OffsetLogRecord(string Type, string Group, string? ProtocolType = null, int? Generation = null, IReadOnlyList<CommittedOffset>? Offsets = null)
{
    public const string CommitType = "commit";
    public const string GroupType = "group";
    public const string DeleteType = "delete";
}
