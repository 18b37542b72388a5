namespace InventoryOrleans.Grains.Interfaces;

/// <summary>
/// The Kafka transaction a product's outputs are about to go out in, and what its sender knows committed. The owner of
/// input partition <see cref="Partition"/> numbers its transactions by epoch and attempt: an epoch is a run of attempts
/// that all committed, ended by the first that did not (an abort, a fenced or unknown commit, a crash, a lost
/// partition), and the partition's committed consumer-group offset on <c>Topics.PublicationMarks</c> names the last
/// committed (epoch, attempt). So a product that stored "versions up to v went out in attempt (e, a)" can tell later,
/// exactly, whether they reached <c>read_committed</c> readers.
/// </summary>
/// <param name="Partition">The input partition number of the product (the same in every input topic).</param>
/// <param name="Epoch">The sender's current epoch for that partition (epochs only grow).</param>
/// <param name="Committed">The last attempt of <paramref name="Epoch"/> that committed; 0 when none yet.</param>
/// <param name="Attempt">The attempt these outputs go out in (greater than <paramref name="Committed"/>).</param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.PublicationTicket")]
public readonly record struct PublicationTicket(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Epoch,
    [property: Id(2)] long Committed,
    [property: Id(3)] long Attempt)
{
    /// <summary>The ticket that reports attempts up to <paramref name="committed"/> of this epoch committed.</summary>
    public PublicationTicket AfterCommit(long committed) => this with { Committed = committed, Attempt = committed + 1 };
}
