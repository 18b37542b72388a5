using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>The parts of a Fetch request (v4–11) the broker uses.</summary>
internal sealed record FetchRequest(int MaxWaitMs, int MinBytes, int MaxBytes, bool ReadCommitted, IReadOnlyList<(string Topic, IReadOnlyList<FetchPartition> Partitions)> Topics)
{
    public static FetchRequest Read(KafkaReader body, short version)
    {
        body.ReadInt32(); // replica id
        var maxWait = body.ReadInt32();
        var minBytes = body.ReadInt32();
        var maxBytes = body.ReadInt32();
        var readCommitted = body.ReadInt8() == 1; // isolation level: 0 read_uncommitted, 1 read_committed
        if (version >= 7)
        {
            body.ReadInt32(); // session id
            body.ReadInt32(); // session epoch
        }

        var topicCount = body.ReadArrayCount();
        var topics = new List<(string, IReadOnlyList<FetchPartition>)>(topicCount);
        for (var t = 0; t < topicCount; t++)
        {
            var name = body.ReadString();
            var partitionCount = body.ReadArrayCount();
            var partitions = new List<FetchPartition>(partitionCount);
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = body.ReadInt32();
                if (version >= 9)
                {
                    body.ReadInt32(); // current leader epoch
                }

                var fetchOffset = body.ReadInt64();
                if (version >= 5)
                {
                    body.ReadInt64(); // follower's log start offset
                }

                partitions.Add(new FetchPartition(partition, fetchOffset, body.ReadInt32()));
            }

            topics.Add((name, partitions));
        }

        if (version >= 7)
        {
            var forgotten = body.ReadArrayCount();
            for (var f = 0; f < forgotten; f++)
            {
                body.ReadString();
                var count = body.ReadArrayCount();
                for (var i = 0; i < count; i++)
                {
                    body.ReadInt32();
                }
            }
        }

        if (version >= 11)
        {
            body.ReadString(); // rack id
        }

        return new FetchRequest(maxWait, minBytes, maxBytes, readCommitted, topics);
    }
}
