using System.Globalization;
using System.Text;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Publishing;

namespace InventoryOrleans.Ingest.DeadLetter;

/// <summary>Builds the <c>inventory.dlq</c> record of a bad message: its key and value unchanged, plus where it came from and why.</summary>
public static class DeadLetters
{
    public const string ReasonHeader = "dlq-reason";
    public const string TopicHeader = "dlq-topic";
    public const string PartitionHeader = "dlq-partition";
    public const string OffsetHeader = "dlq-offset";

    public static OutgoingMessage For(ConsumeResult<byte[], byte[]> source, string reason)
    {
        ArgumentNullException.ThrowIfNull(source);
        // The message's own headers travel along; the dlq-* headers say where it came from and why.
        var headers = new Headers();
        foreach (var header in source.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(ReasonHeader, Encoding.UTF8.GetBytes(reason));
        headers.Add(TopicHeader, Encoding.UTF8.GetBytes(source.Topic));
        headers.Add(PartitionHeader, Encoding.UTF8.GetBytes(source.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(OffsetHeader, Encoding.UTF8.GetBytes(source.Offset.Value.ToString(CultureInfo.InvariantCulture)));

        // A null key or value stays null: "unchanged" means byte for byte, absence included.
        return new OutgoingMessage(Topics.DeadLetter, source.Message.Key!, source.Message.Value!, headers);
    }
}
