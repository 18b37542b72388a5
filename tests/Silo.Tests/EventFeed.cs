using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Silo.Tests;

/// <summary>Produces events as a steady stream (a chunk per tick, each chunk delivered before the next), so a test can crash a silo while the stream is still flowing.</summary>
public static class EventFeed
{
    /// <summary>Starts feeding; the task ends once every event is delivered (a flush rides out a broker restart).</summary>
    public static Task StartAsync(KafkaTestClient client, IReadOnlyList<InventoryEvent> events, int chunks, TimeSpan tick)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(events);
        return Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(tick);
            var size = (events.Count + chunks - 1) / chunks;
            foreach (var chunk in events.Chunk(size))
            {
                foreach (var e in chunk)
                {
                    client.Produce(KafkaTestClient.TopicOf(e), e);
                }

                client.Flush();
                await timer.WaitForNextTickAsync();
            }
        });
    }
}
