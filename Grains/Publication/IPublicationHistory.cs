using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Publication;

/// <summary>
/// The final committed attempt of every ended publication epoch of every input partition (see
/// <see cref="PublicationTicket"/>), kept in Redis beside the product states, and the allocation of new epochs.
/// </summary>
public interface IPublicationHistory
{
    /// <summary>
    /// The last attempt of <paramref name="epoch"/> (of <paramref name="partition"/>) that committed; 0 when none did.
    /// Only asked for an ended epoch (one older than a ticket's), whose answer never changes.
    /// </summary>
    ValueTask<long> CommittedInAsync(int partition, long epoch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that <paramref name="ended"/> is the final committed attempt of its epoch (nothing when it is
    /// <see cref="PublicationMark.None"/>) and opens a new epoch for <paramref name="partition"/>, above every epoch
    /// opened before and above <paramref name="ended"/>'s. Called before any attempt of the new epoch reaches a grain.
    /// </summary>
    Task<long> BeginEpochAsync(int partition, PublicationMark ended, CancellationToken cancellationToken = default);
}
