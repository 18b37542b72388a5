using InventoryOrleans.Grains.Interfaces.Avro;

namespace InventoryOrleans.Grains.Interfaces.Kafka;

/// <summary>
/// The Kafka settings of every host (configuration section <c>Kafka</c>); validated at start. One type for the section:
/// the silo's ingest reads most of it, an Api host only <see cref="BootstrapServers"/>, <see cref="ClientId"/> and
/// <see cref="ProduceTimeout"/>, so one meaning per key and one place for its default. Durations are
/// <see cref="TimeSpan"/>s (<c>Kafka__PollTimeout=00:00:00.100</c>); the older whole-millisecond keys
/// (<c>Kafka__PollTimeoutMs=100</c>) are accepted too (<see cref="KafkaServiceCollectionExtensions.AddKafkaOptions"/>).
/// </summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>Kafka bootstrap servers (<c>host:port[,host:port]</c>); unset means the silo starts the embedded DevBroker.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Consumer group shared by every silo.</summary>
    public string GroupId { get; set; } = "inventory-silo";

    /// <summary>Partition count of the topics the silo creates when they are missing.</summary>
    public int Partitions { get; set; } = 12;

    /// <summary>Most messages taken into one batch.</summary>
    public int MaxBatchSize { get; set; } = 5_000;

    /// <summary>
    /// How long a batch waits for more messages after its first one. Default 0: take what the consumer has buffered
    /// and go; under load the next batch fills by itself while this one is processed, so waiting only adds latency.
    /// </summary>
    public TimeSpan BatchLinger { get; set; }

    /// <summary>
    /// Whether the next batch is consumed and applied while the previous one publishes and commits (with transactions;
    /// without them the offsets commit through the consumer, so batches run one after another). Attempts still commit
    /// in order, and one that fails sends the batch behind it back to start over.
    /// </summary>
    public bool OverlapBatches { get; set; } = true;

    /// <summary>Longest single wait in the consumer's poll, which bounds how quickly the loop sees a stop request.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Longest time the broker holds a fetch that has no data yet (librdkafka's fetch.wait.max.ms). Short, because it
    /// bounds the produce → net-stock latency when a broker answers a waiting fetch only at its deadline.
    /// </summary>
    public TimeSpan FetchWaitMax { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Products applied in parallel within one batch; storage round trips overlap, so more is faster until the CPU is busy.</summary>
    public int MaxParallelProducts { get; set; } = 256;

    /// <summary>Consumer group session timeout: how long a silo that stopped heartbeating keeps its partitions.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Heartbeat interval; must be well below the session timeout.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest pause between two polls before the group considers the silo stuck (also its rebalance timeout).</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Producer linger: how long outcomes and net stock wait to be batched. Short, because the batch is produced in one
    /// go (so it batches by itself) and its commit waits for the last delivery report.
    /// </summary>
    public TimeSpan ProducerLinger { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Largest pause between two retries of a batch during an outage.</summary>
    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First pause after a failed attempt; doubles up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoffInitial { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long start-up waits for the broker before giving up with a clear error.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Optional client id prefix (the silo's or Api host's name); helps reading broker logs.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Whether each batch's outputs and offsets are committed in one Kafka transaction (exactly once for
    /// <c>read_committed</c> readers). False keeps the idempotent producer and plain offset commits, for brokers without
    /// transactions: state and decisions stay exact, readers may see identical repeats.
    /// </summary>
    public bool Transactions { get; set; } = true;

    /// <summary>
    /// The transactions' timeout (the producer's <c>transaction.timeout.ms</c>): how long a transaction left open by a
    /// silo that hung or died holds back <c>read_committed</c> readers and the next owner of its partitions before the
    /// broker aborts it. Above the time a batch takes to publish and commit.
    /// </summary>
    public TimeSpan TransactionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The transactional id of this silo's producer; unset: the group id and the silo's endpoint. It must differ between
    /// silos running at once and stay the same across a silo's restarts (its new producer then fences the old one).
    /// </summary>
    public string? TransactionalId { get; set; }

    /// <summary>
    /// The format of <c>inventory.net-stock</c>, <c>inventory.outcomes</c> and <c>inventory.alerts</c>: <c>json</c>
    /// (the contract's JSON) or <c>avro</c> (Confluent-framed Avro of shared/api/avro, registered at start; needs a
    /// schema registry).
    /// </summary>
    public string OutputFormat { get; set; } = "json";

    /// <summary>
    /// How long a post to the API waits for the broker's acknowledgement before it answers 503 (librdkafka's
    /// <c>message.timeout.ms</c>; 1 s to 5 min, default 10 s).
    /// </summary>
    public TimeSpan ProduceTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><see cref="OutputFormat"/> read (JSON when it is not one of the two: the validator refuses that at start).</summary>
    public WireFormat Format => WireFormats.TryParse(OutputFormat, out var format) ? format : WireFormat.Json;

    /// <summary>The durations whose older <c>…Ms</c> keys are accepted (each is the property's name plus <c>Ms</c>).</summary>
    internal static readonly string[] MillisecondsAliases =
    [
        nameof(BatchLinger), nameof(PollTimeout), nameof(FetchWaitMax), nameof(SessionTimeout), nameof(HeartbeatInterval),
        nameof(MaxPollInterval), nameof(ProducerLinger), nameof(RetryBackoffMax), nameof(RetryBackoffInitial),
        nameof(StartupTimeout), nameof(TransactionTimeout), nameof(ProduceTimeout),
    ];
}
