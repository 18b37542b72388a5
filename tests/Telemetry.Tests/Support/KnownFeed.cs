using System.Text;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Telemetry.Tests.Support;

/// <summary>
/// A feed whose every outcome is known in advance: receipts of 20 products (applied), a reservation larger than the
/// stock (rejected: InsufficientStock), a release of an unknown reservation (rejected: UnknownReservation), a sale and
/// its repeat (applied, duplicate), a snapshot (applied), a message that is not JSON and one whose key is not its
/// productId (dead-lettered: NotJson, KeyMismatch).
/// </summary>
public static class KnownFeed
{
    public const int Products = 20;

    public static IReadOnlyDictionary<string, long> MessagesByTopic { get; } = new Dictionary<string, long>
    {
        [Topics.Events] = Products + 4,
        [Topics.Sales] = 2,
        [Topics.Snapshots] = 1,
    };

    public static long Messages => MessagesByTopic.Values.Sum();

    public const long Applied = Products + 2;
    public const long Duplicate = 1;

    public static IReadOnlyDictionary<string, long> RejectedByReason { get; } = new Dictionary<string, long>
    {
        [RejectionReasons.InsufficientStock] = 1,
        [RejectionReasons.UnknownReservation] = 1,
    };

    public static IReadOnlyDictionary<string, long> DeadLetteredByReason { get; } = new Dictionary<string, long>
    {
        ["NotJson"] = 1,
        ["KeyMismatch"] = 1,
    };

    /// <summary>Produces the feed and waits until the broker has it all.</summary>
    public static void Produce(KafkaTestClient client, string prefix = "known")
    {
        ArgumentNullException.ThrowIfNull(client);
        var at = ScenarioGenerator.Epoch;
        for (var i = 0; i < Products; i++)
        {
            client.Produce(Topics.Events, new InventoryEvent($"{prefix}-r-{i}", InventoryEventType.Receipt, $"{prefix}-p-{i}", 5, at));
        }

        client.Produce(Topics.Events, new InventoryEvent($"{prefix}-res", InventoryEventType.Reservation, $"{prefix}-p-0", 100, at.AddMinutes(1), ReservationId: "big"));
        client.Produce(Topics.Events, new InventoryEvent($"{prefix}-rel", InventoryEventType.ReservationRelease, $"{prefix}-p-1", 0, at.AddMinutes(1), ReservationId: "never-made"));
        client.Produce(Topics.Events, Encoding.UTF8.GetBytes($"{prefix}-p-2"), "not json"u8.ToArray());
        client.Produce(Topics.Events, Encoding.UTF8.GetBytes($"{prefix}-p-3"), EventJson.Serialize(new InventoryEvent($"{prefix}-other", InventoryEventType.Receipt, $"{prefix}-p-4", 1, at)));
        var sale = new InventoryEvent($"{prefix}-s", InventoryEventType.Sale, $"{prefix}-p-5", 2, at.AddMinutes(2));
        client.Produce(Topics.Sales, sale);
        client.Produce(Topics.Sales, sale);
        client.Produce(Topics.Snapshots, new InventoryEvent($"{prefix}-snap", InventoryEventType.Snapshot, $"{prefix}-snap-p", 9, at));
        client.Flush();
    }
}
