using Confluent.Kafka;
using InventoryOrleans.Ingest.Metrics;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// Reports each input partition's lag (high watermark − the position after the last message handed on), at most once a
/// second, from the watermarks the consumer caches from fetch responses. For a partition nothing was read from since
/// its assignment it asks the group once where consumption starts; until the group answers, its lag is not reported
/// (counting from the log start would show every retained message as lag after each rebalance). Consumer thread only.
/// </summary>
internal sealed class LagSampler(IngestMetrics metrics, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    // The one broker request of lag sampling, on the consumer's thread: short.
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(1);

    private readonly Dictionary<TopicPartition, Offset> _committedAtAssignment = [];
    private long _lastSample;

    /// <summary>Whether a second passed since the last sample.</summary>
    public bool Due => _lastSample == 0 || time.GetElapsedTime(_lastSample) >= Period;

    /// <summary>Samples the lag of <paramref name="assignment"/>; <paramref name="nextOffsets"/> holds each partition's position.</summary>
    public void Sample(IConsumer<byte[], byte[]> consumer, List<TopicPartition> assignment, IReadOnlyDictionary<TopicPartition, long> nextOffsets)
    {
        _lastSample = time.GetTimestamp();
        LearnCommittedOffsets(consumer, assignment, nextOffsets);
        foreach (var partition in assignment)
        {
            var watermarks = consumer.GetWatermarkOffsets(partition);
            if (watermarks.High == Offset.Unset)
            {
                continue;
            }

            long position;
            if (nextOffsets.TryGetValue(partition, out var next))
            {
                position = next;
            }
            else if (_committedAtAssignment.TryGetValue(partition, out var committed))
            {
                // Nothing read since the assignment: consumption starts at the committed offset (none: the log start).
                position = committed == Offset.Unset ? watermarks.Low.Value : committed.Value;
            }
            else
            {
                continue;
            }

            metrics.RecordLag(partition.Topic, partition.Partition.Value, watermarks.High.Value - position);
        }
    }

    /// <summary>Forgets where a partition started: it was assigned afresh, revoked or lost.</summary>
    public void Forget(TopicPartition partition) => _committedAtAssignment.Remove(partition);

    private void LearnCommittedOffsets(IConsumer<byte[], byte[]> consumer, List<TopicPartition> assignment, IReadOnlyDictionary<TopicPartition, long> nextOffsets)
    {
        var unknown = assignment.Where(p => !nextOffsets.ContainsKey(p) && !_committedAtAssignment.ContainsKey(p)).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var committed in consumer.Committed(unknown, LookupTimeout))
            {
                _committedAtAssignment[committed.TopicPartition] = committed.Offset;
            }
        }
        catch (KafkaException e)
        {
            IngestLog.CommittedLookupFailed(logger, e.Error.Code, e.Error.Reason);
        }
    }
}
