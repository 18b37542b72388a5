namespace InventoryOrleans.DevBroker;

/// <summary>Settings of the development broker; <see cref="Validate"/> says how to fix a bad one.</summary>
public sealed class DevBrokerOptions
{
    /// <summary>Configuration section name (<c>DevBroker__Port</c> etc.).</summary>
    public const string SectionName = "DevBroker";

    /// <summary>Where the executable and the silo's embedded default serve the schema registry (Confluent's own default).</summary>
    public const int DefaultSchemaRegistryPort = 8081;

    /// <summary>TCP port; 0 picks a free one (see <see cref="DevBrokerServer.Port"/>).</summary>
    public int Port { get; set; } = 9092;

    /// <summary>Address to listen on (the Kafka port and the schema registry's).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>HTTP port of the Confluent-compatible schema registry; 0 picks a free one
    /// (<see cref="DevBrokerServer.SchemaRegistryUrl"/>). Null serves none: the library default, so tests and tools that
    /// start brokers side by side do not all reach for one port; the executable and the silo's embedded default use
    /// <see cref="DefaultSchemaRegistryPort"/>.</summary>
    public int? SchemaRegistryPort { get; set; }

    /// <summary>Host name put in Metadata responses; clients connect to it. Defaults to <see cref="Host"/>.</summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>Connection transport: plain sockets (default) or Kestrel.</summary>
    public BrokerTransport Transport { get; set; } = BrokerTransport.Sockets;

    /// <summary>Log directory; null keeps everything in memory (tests).</summary>
    public string? DataDir { get; set; }

    public int NodeId { get; set; }

    public string ClusterId { get; set; } = "DevBrokerCluster0000001";

    /// <summary>Create a topic when a client asks for it in Metadata (v4+ only when the client allows it).</summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>Partitions of an auto-created topic, or of a CreateTopics request with −1 partitions.</summary>
    public int DefaultPartitions { get; set; } = 1;

    /// <summary>A request frame larger than this closes its connection (Kafka's socket.request.max.bytes).</summary>
    public int MaxFrameBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>Largest record batch accepted in a Produce (Kafka's message.max.bytes).</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>When acknowledged data reaches the disk.</summary>
    public FsyncPolicy FsyncPolicy { get; set; } = FsyncPolicy.FlushToOs;

    /// <summary>A log segment rolls over at this size; retention deletes whole segments.</summary>
    public int SegmentBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Default retention.ms of a topic; −1 keeps forever.</summary>
    public long RetentionMs { get; set; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>Default retention.bytes of a partition; −1 means no size limit.</summary>
    public long RetentionBytes { get; set; } = -1;

    /// <summary>How often retention runs.</summary>
    public TimeSpan RetentionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the log cleaner looks at compacted topics (Kafka's log.cleaner.backoff.ms); a partition is only
    /// cleaned again once a segment was sealed or a tombstone may expire since its last cleaning.</summary>
    public TimeSpan LogCleanerInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Smallest session timeout a group member may ask for (Kafka's group.min.session.timeout.ms).</summary>
    public int GroupMinSessionTimeoutMs { get; set; } = 1000;

    /// <summary>Largest session timeout a group member may ask for (Kafka's group.max.session.timeout.ms).</summary>
    public int GroupMaxSessionTimeoutMs { get; set; } = 300_000;

    /// <summary>How long a new group waits for more members before its first rebalance (Kafka's group.initial.rebalance.delay.ms).</summary>
    public int GroupInitialRebalanceDelayMs { get; set; }

    /// <summary>Longest transaction.timeout.ms a transactional producer may ask for (Kafka's transaction.max.timeout.ms);
    /// InitProducerId with a longer one gets INVALID_TRANSACTION_TIMEOUT.</summary>
    public TimeSpan TransactionMaxTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often transactions open longer than their timeout are aborted (their producer fenced) and interrupted
    /// commits or aborts retried.</summary>
    public TimeSpan TransactionCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The host clients are told to connect to: <see cref="AdvertisedHost"/>, else <see cref="Host"/> — except that
    /// a wildcard listen address (0.0.0.0, ::) is not an address a client can reach, so loopback is advertised instead.</summary>
    public string EffectiveAdvertisedHost => !string.IsNullOrWhiteSpace(AdvertisedHost) ? AdvertisedHost
        : Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "::" or "[::]" => "::1",
            _ => Host,
        };

    /// <summary>Problems with the settings, each saying how to fix it; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"DevBroker:Port is {Port}; use 0 (pick a free port) or 1-65535.");
        }

        if (SchemaRegistryPort is < 0 or > 65535)
        {
            errors.Add($"DevBroker:SchemaRegistryPort is {SchemaRegistryPort}; use 0 (pick a free port) or 1-65535 (default {DefaultSchemaRegistryPort}).");
        }
        else if (SchemaRegistryPort is > 0 && SchemaRegistryPort == Port)
        {
            errors.Add($"DevBroker:SchemaRegistryPort and DevBroker:Port are both {Port}; the registry (HTTP) needs a port of its own, e.g. {DefaultSchemaRegistryPort}.");
        }

        if (string.IsNullOrWhiteSpace(Host) || !System.Net.IPAddress.TryParse(Host, out _))
        {
            errors.Add($"DevBroker:Host '{Host}' is not an IP address; use e.g. 127.0.0.1 or 0.0.0.0.");
        }

        if (NodeId < 0)
        {
            errors.Add($"DevBroker:NodeId is {NodeId}; use 0 or more.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            errors.Add("DevBroker:ClusterId is empty; set any non-empty string.");
        }

        if (DefaultPartitions is < 1 or > 10_000)
        {
            errors.Add($"DevBroker:DefaultPartitions is {DefaultPartitions}; use 1-10000.");
        }

        if (MaxFrameBytes < 1024)
        {
            errors.Add($"DevBroker:MaxFrameBytes is {MaxFrameBytes}; use at least 1024 (default 104857600).");
        }

        if (MaxMessageBytes < 1024 || MaxMessageBytes > MaxFrameBytes)
        {
            errors.Add($"DevBroker:MaxMessageBytes is {MaxMessageBytes}; use 1024..MaxFrameBytes ({MaxFrameBytes}).");
        }

        if (SegmentBytes < 1024)
        {
            errors.Add($"DevBroker:SegmentBytes is {SegmentBytes}; use at least 1024 (default 67108864).");
        }

        if (RetentionMs is < -1 or 0)
        {
            errors.Add($"DevBroker:RetentionMs is {RetentionMs}; use -1 (forever) or a positive number of milliseconds.");
        }

        if (RetentionBytes is < -1 or 0)
        {
            errors.Add($"DevBroker:RetentionBytes is {RetentionBytes}; use -1 (no limit) or a positive byte count.");
        }

        if (RetentionCheckInterval <= TimeSpan.Zero)
        {
            errors.Add($"DevBroker:RetentionCheckInterval is {RetentionCheckInterval}; use a positive time span such as 00:01:00.");
        }

        if (LogCleanerInterval <= TimeSpan.Zero)
        {
            errors.Add($"DevBroker:LogCleanerInterval is {LogCleanerInterval}; use a positive time span such as 00:00:15.");
        }

        if (GroupMinSessionTimeoutMs < 1 || GroupMaxSessionTimeoutMs < GroupMinSessionTimeoutMs)
        {
            errors.Add($"DevBroker:GroupMinSessionTimeoutMs ({GroupMinSessionTimeoutMs}) must be positive and at most GroupMaxSessionTimeoutMs ({GroupMaxSessionTimeoutMs}).");
        }

        if (GroupInitialRebalanceDelayMs < 0)
        {
            errors.Add($"DevBroker:GroupInitialRebalanceDelayMs is {GroupInitialRebalanceDelayMs}; use 0 or more.");
        }

        if (TransactionMaxTimeout <= TimeSpan.Zero)
        {
            errors.Add($"DevBroker:TransactionMaxTimeout is {TransactionMaxTimeout}; use a positive time span such as 00:15:00 (Kafka's default).");
        }

        if (TransactionCheckInterval <= TimeSpan.Zero || TransactionCheckInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"DevBroker:TransactionCheckInterval is {TransactionCheckInterval}; use a time span between 00:00:00.001 and 00:01:00 (e.g. 00:00:01).");
        }

        return errors;
    }

    /// <summary>Throws with every problem listed when the settings are invalid.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid DevBroker options: " + string.Join(" ", errors));
        }
    }
}
