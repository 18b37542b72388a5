using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>Idempotence state of one producer on one partition: its epoch and its last five batches.</summary>
internal sealed class ProducerState
{
    /// <summary>Kafka keeps five: the most a producer may have in flight per partition.</summary>
    public const int Window = 5;

    private readonly Queue<(int FirstSequence, int LastSequence, long BaseOffset)> _recent = new();
    private int _lastSequence;

    public short Epoch { get; private set; } = -1;

    /// <summary>What to do with a batch: append it (None), answer it as a duplicate (None plus the original offset), or refuse it.</summary>
    public ErrorCode Check(short epoch, int baseSequence, int lastSequence, out long duplicateOfOffset)
    {
        duplicateOfOffset = -1;
        if (Epoch < 0)
        {
            return ErrorCode.None; // Unknown producer (e.g. its history was retained away): accept any sequence.
        }

        if (epoch < Epoch)
        {
            return ErrorCode.InvalidProducerEpoch;
        }

        if (epoch > Epoch)
        {
            return baseSequence == 0 ? ErrorCode.None : ErrorCode.OutOfOrderSequenceNumber;
        }

        foreach (var (first, last, offset) in _recent)
        {
            if (first == baseSequence && last == lastSequence)
            {
                duplicateOfOffset = offset;
                return ErrorCode.None;
            }
        }

        if (_recent.Count == 0)
        {
            return ErrorCode.None;
        }

        // Sequences wrap from int.MaxValue to 0.
        var expected = _lastSequence == int.MaxValue ? 0 : _lastSequence + 1;
        return baseSequence == expected ? ErrorCode.None : ErrorCode.OutOfOrderSequenceNumber;
    }

    /// <summary>A transaction marker: it carries no sequence, but one written with a newer epoch (the coordinator fenced
    /// the producer) makes that epoch current, so batches of older epochs are refused from then on.</summary>
    public void RecordMarker(short epoch)
    {
        if (epoch > Epoch)
        {
            _recent.Clear();
            Epoch = epoch;
        }
    }

    public void Record(short epoch, int baseSequence, int lastSequence, long baseOffset)
    {
        if (epoch != Epoch)
        {
            _recent.Clear();
            Epoch = epoch;
        }

        _recent.Enqueue((baseSequence, lastSequence, baseOffset));
        _lastSequence = lastSequence;
        while (_recent.Count > Window)
        {
            _recent.Dequeue();
        }
    }
}
