using System.Diagnostics;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// The baseline: the pipeline's Kafka work without grains or storage — consume a batch (same size; like the pipeline
/// it takes what the consumer has buffered without lingering, and uses the same fetch queue settings), produce one
/// record per message through an idempotent producer (same linger), wait for delivery, commit. One consumer and
/// producer per silo of the measured pipeline, in one group, each on its own thread.
/// </summary>
public static class PassthroughBaseline
{
    /// <summary>Runs until <paramref name="expected"/> messages are passed through; returns the time from the first consumed message.</summary>
    public static TimeSpan Run(string bootstrap, long expected, int consumers, int maxBatch = 5_000)
    {
        long done = 0;
        long started = 0;
        long finished = 0;
        var threads = Enumerable.Range(0, consumers).Select(_ => new Thread(() =>
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

            var batch = new List<ConsumeResult<byte[], byte[]>>(maxBatch);
            while (Interlocked.Read(ref done) < expected)
            {
                batch.Clear();
                var first = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (first is null)
                {
                    continue;
                }

                Interlocked.CompareExchange(ref started, Stopwatch.GetTimestamp(), 0);
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
                if (Interlocked.Add(ref done, batch.Count) >= expected)
                {
                    Interlocked.CompareExchange(ref finished, Stopwatch.GetTimestamp(), 0);
                }
            }

            consumer.Close();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return Stopwatch.GetElapsedTime(started, finished);
    }
}
