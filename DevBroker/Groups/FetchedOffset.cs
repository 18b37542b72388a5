using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A committed offset as OffsetFetch answers it: UNSTABLE_OFFSET_COMMIT (and no offset) while a transaction
/// holds offsets for the partition and the caller asked for stable offsets only.</summary>
public sealed record FetchedOffset(CommittedOffset Committed, ErrorCode Error);
