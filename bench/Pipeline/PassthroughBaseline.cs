using System.Diagnostics;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// The baseline: the pipeline's Kafka work without grains or storage — consume a batch (same size; like the pipeline
/// it takes what the consumer has buffered without lingering, and uses the same fetch queue settings), produce one
/// record per message through an idempotent producer (same linger), wait for delivery, commit.
/// </summary>
public static class PassthroughBaseline
{
    public static TimeSpan Run(string bootstrap, long expected, int maxBatch = 5_000)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-passthrough",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
            FetchWaitMaxMs = 100,
            QueuedMinMessages = 1_000_000,
            QueuedMaxMessagesKbytes = 65_536,
        }).SetLogHandler((_, _) => { }).Build();
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 1,
            BatchNumMessages = 10_000,
            QueueBufferingMaxMessages = 1_000_000,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(Topics.Inputs);

        long done = 0;
        Stopwatch? clock = null;
        var batch = new List<ConsumeResult<byte[], byte[]>>(maxBatch);
        while (done < expected)
        {
            batch.Clear();
            var first = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (first is null)
            {
                continue;
            }

            clock ??= Stopwatch.StartNew();
            batch.Add(first);
            while (batch.Count < maxBatch && consumer.Consume(TimeSpan.Zero) is { } next)
            {
                batch.Add(next);
            }

            var pending = batch.Count;
            using var delivered = new ManualResetEventSlim();
            foreach (var message in batch)
            {
                producer.Produce("bench.passthrough", new Message<byte[], byte[]> { Key = message.Message.Key, Value = message.Message.Value }, _ =>
                {
                    if (Interlocked.Decrement(ref pending) == 0)
                    {
                        delivered.Set();
                    }
                });
            }

            delivered.Wait();
            consumer.Commit(batch.GroupBy(m => m.TopicPartition).Select(g => new TopicPartitionOffset(g.Key, g.Max(m => m.Offset.Value) + 1)));
            done += batch.Count;
        }

        consumer.Close();
        return clock?.Elapsed ?? TimeSpan.Zero;
    }
}
