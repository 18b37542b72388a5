using System.Text;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.DeadLetter;

namespace InventoryOrleans.Ingest.Tests.DeadLetter;

public sealed class DeadLettersTests
{
    [Fact]
    public void For_BadMessage_KeepsKeyValueAndHeadersAndAddsWhereAndWhy()
    {
        var source = new ConsumeResult<byte[], byte[]>
        {
            Topic = Topics.Sales,
            Partition = 7,
            Offset = 42,
            Message = new Message<byte[], byte[]>
            {
                Key = "p-1"u8.ToArray(),
                Value = "nope"u8.ToArray(),
                Headers = new Headers { { "trace-id", "abc"u8.ToArray() } },
            },
        };

        var dead = DeadLetters.For(source, "NotJson: the value is not valid JSON");

        Assert.Equal(Topics.DeadLetter, dead.Topic);
        Assert.Equal("p-1"u8.ToArray(), dead.Key);
        Assert.Equal("nope"u8.ToArray(), dead.Value);
        string Header(string name) => Encoding.UTF8.GetString(dead.Headers!.GetLastBytes(name));
        Assert.Equal("abc", Header("trace-id"));
        Assert.Equal("NotJson: the value is not valid JSON", Header(DeadLetters.ReasonHeader));
        Assert.Equal(Topics.Sales, Header(DeadLetters.TopicHeader));
        Assert.Equal("7", Header(DeadLetters.PartitionHeader));
        Assert.Equal("42", Header(DeadLetters.OffsetHeader));
    }
}
