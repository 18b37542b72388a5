using InventoryOrleans.DevBroker.Handlers;
using InventoryOrleans.DevBroker.Protocol;
using ErrorCode = InventoryOrleans.DevBroker.Protocol.ErrorCode;
using RequestContext = InventoryOrleans.DevBroker.Handlers.RequestContext;

namespace InventoryOrleans.TestSupport.Kafka;

/// <summary>
/// Makes the test broker answer one request the way a Kafka broker does under failure, which a healthy broker never
/// does on its own:
/// <list type="bullet">
/// <item><see cref="FailNextProduce"/>: every partition of the next Produce request that writes to a topic is answered
/// with an error code, and nothing is appended (UNKNOWN_PRODUCER_ID: the broker lost the producer's state).</item>
/// <item><see cref="StaleNextTxnOffsetCommit"/>: the next transactional offset commit is judged as if sent with the
/// member's previous generation, so the group refuses it with ILLEGAL_GENERATION, while the member itself stays.</item>
/// </list>
/// </summary>
public sealed class BrokerFaults
{
    private readonly Lock _gate = new();
    private (string Topic, ErrorCode Error)? _produce;
    private bool _staleOffsets;
    private int _injected;

    /// <summary>How many requests were answered with a fault so far.</summary>
    public int Injected => Volatile.Read(ref _injected);

    /// <summary>Refuses the next Produce request that writes to <paramref name="topic"/> with <paramref name="error"/>.</summary>
    public void FailNextProduce(string topic, ErrorCode error)
    {
        lock (_gate)
        {
            _produce = (topic, error);
        }
    }

    /// <summary>Makes the next TxnOffsetCommit (v3, which carries the member's generation) carry a stale generation.</summary>
    public void StaleNextTxnOffsetCommit()
    {
        lock (_gate)
        {
            _staleOffsets = true;
        }
    }

    /// <summary>The broker's handler for an API key, going through the faults first.</summary>
    public IApiHandler Wrap(IApiHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return handler.Key switch
        {
            ApiKey.Produce => new FaultyProduce(this, handler),
            ApiKey.TxnOffsetCommit => new StaleTxnOffsetCommit(this, handler),
            _ => handler,
        };
    }

    private ErrorCode? TakeProduceFault(IEnumerable<string> topics)
    {
        lock (_gate)
        {
            if (_produce is not { } fault || !topics.Contains(fault.Topic, StringComparer.Ordinal))
            {
                return null;
            }

            _produce = null;
            _injected++;
            return fault.Error;
        }
    }

    private bool TakeStaleOffsets()
    {
        lock (_gate)
        {
            if (!_staleOffsets)
            {
                return false;
            }

            _staleOffsets = false;
            _injected++;
            return true;
        }
    }

    private static RequestContext Over(RequestContext context, ReadOnlyMemory<byte> body) =>
        new(context.Header, context.IsFlexible, new KafkaReader(body), context.Connection, context.Services);

    private abstract class Wrapper(IApiHandler inner) : IApiHandler
    {
        protected IApiHandler Inner => inner;

        public ApiKey Key => inner.Key;

        public short MinVersion => inner.MinVersion;

        public short MaxVersion => inner.MaxVersion;

        public short? FirstFlexibleVersion => inner.FirstFlexibleVersion;

        public abstract ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken);
    }

    private sealed class StaleTxnOffsetCommit(BrokerFaults faults, IApiHandler inner) : Wrapper(inner)
    {
        public override ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
        {
            var body = context.Body.ReadRaw(context.Body.Remaining);
            if (context.Version < 3 || !faults.TakeStaleOffsets())
            {
                return Inner.HandleAsync(Over(context, body), response, cancellationToken);
            }

            // transactional_id, group_id, producer_id, producer_epoch, then generation_id: one less is the previous one.
            var reader = new KafkaReader(body);
            reader.ReadString(context.IsFlexible);
            reader.ReadString(context.IsFlexible);
            var generationAt = reader.Position + 8 + 2;
            var stale = body.ToArray();
            var generation = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(stale.AsSpan(generationAt));
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(stale.AsSpan(generationAt), generation - 1);
            return Inner.HandleAsync(Over(context, stale), response, cancellationToken);
        }
    }

    private sealed class FaultyProduce(BrokerFaults faults, IApiHandler inner) : Wrapper(inner)
    {
        public override ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
        {
            // Produce v3-8 (what the broker serves) is not flexible: plain strings and arrays.
            var body = context.Body.ReadRaw(context.Body.Remaining);
            var reader = new KafkaReader(body);
            reader.ReadNullableString(); // transactional id
            var acks = reader.ReadInt16();
            reader.ReadInt32(); // timeout
            var request = new List<(string Topic, List<int> Partitions)>();
            for (var t = reader.ReadArrayCount(); t > 0; t--)
            {
                var topic = reader.ReadString();
                var partitions = new List<int>();
                for (var p = reader.ReadArrayCount(); p > 0; p--)
                {
                    partitions.Add(reader.ReadInt32());
                    reader.ReadNullableBytes();
                }

                request.Add((topic, partitions));
            }

            if (faults.TakeProduceFault(request.Select(r => r.Topic)) is not { } error)
            {
                return Inner.HandleAsync(Over(context, body), response, cancellationToken);
            }

            response.WriteArrayLength(request.Count);
            foreach (var (topic, partitions) in request)
            {
                response.WriteString(topic);
                response.WriteArrayLength(partitions.Count);
                foreach (var partition in partitions)
                {
                    response.WriteInt32(partition);
                    response.WriteErrorCode(error);
                    response.WriteInt64(-1); // base offset
                    response.WriteInt64(-1); // log append time
                    if (context.Version >= 5)
                    {
                        response.WriteInt64(-1); // log start offset
                    }

                    if (context.Version >= 8)
                    {
                        response.WriteArrayLength(0); // record errors
                        response.WriteNullableString(null); // error message
                    }
                }
            }

            response.WriteInt32(0); // throttle time
            return ValueTask.FromResult(acks != 0);
        }
    }
}
