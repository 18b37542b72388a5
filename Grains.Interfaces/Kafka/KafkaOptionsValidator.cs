using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Configuration;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains.Interfaces.Kafka;

/// <summary>Checks <see cref="KafkaOptions"/> at start and says how to fix a bad setting, in the keys' new form.</summary>
public sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            failures.Add("Kafka:BootstrapServers is empty: set Kafka__BootstrapServers=host:port (e.g. 127.0.0.1:9092); only a silo may leave it unset, to start the embedded DevBroker (an Api host produces posted events to the silos' Kafka).");
        }
        else if (options.BootstrapServers.Split(',').Any(s => !LooksLikeHostPort(s.Trim())))
        {
            failures.Add($"Kafka:BootstrapServers '{options.BootstrapServers}' is not a list of host:port: use e.g. Kafka__BootstrapServers=127.0.0.1:9092.");
        }

        if (string.IsNullOrWhiteSpace(options.GroupId))
        {
            failures.Add("Kafka:GroupId is empty: set Kafka__GroupId (default inventory-silo); every silo of one deployment must use the same group.");
        }

        Positive(failures, options.Partitions, "Partitions", "the partition count of topics the silo creates (default 12)");
        Positive(failures, options.MaxBatchSize, "MaxBatchSize", "messages per batch (default 5000)");
        Positive(failures, options.MaxParallelProducts, "MaxParallelProducts", "products applied in parallel (default 256)");
        AtLeast(failures, options.PollTimeout, OneMillisecond, nameof(KafkaOptions.PollTimeout), "00:00:00.100");
        AtLeast(failures, options.FetchWaitMax, OneMillisecond, nameof(KafkaOptions.FetchWaitMax), "00:00:00.020");
        AtLeast(failures, options.RetryBackoffInitial, OneMillisecond, nameof(KafkaOptions.RetryBackoffInitial), "00:00:00.050");
        AtLeast(failures, options.StartupTimeout, OneMillisecond, nameof(KafkaOptions.StartupTimeout), "00:00:30");
        AtLeast(failures, options.BatchLinger, TimeSpan.Zero, nameof(KafkaOptions.BatchLinger), "00:00:00");
        AtLeast(failures, options.ProducerLinger, TimeSpan.Zero, nameof(KafkaOptions.ProducerLinger), "00:00:00.001");
        AtLeast(failures, options.SessionTimeout, TimeSpan.FromSeconds(1), nameof(KafkaOptions.SessionTimeout), "00:00:10; the broker also bounds it");
        if (options.RetryBackoffMax < options.RetryBackoffInitial)
        {
            failures.Add($"Kafka:RetryBackoffMax {Show(options.RetryBackoffMax)} is below Kafka:RetryBackoffInitial {Show(options.RetryBackoffInitial)}: raise Kafka__RetryBackoffMax (default 00:00:02).");
        }

        if (options.HeartbeatInterval < OneMillisecond || options.HeartbeatInterval * 3 > options.SessionTimeout)
        {
            failures.Add($"Kafka:HeartbeatInterval {Show(options.HeartbeatInterval)} must be positive and at most a third of Kafka:SessionTimeout {Show(options.SessionTimeout)}: set Kafka__HeartbeatInterval (default 00:00:01).");
        }

        if (options.MaxPollInterval < options.SessionTimeout)
        {
            failures.Add($"Kafka:MaxPollInterval {Show(options.MaxPollInterval)} is below Kafka:SessionTimeout {Show(options.SessionTimeout)}: set Kafka__MaxPollInterval to at least the session timeout (default 00:01:00).");
        }

        if (options.TransactionTimeout < TimeSpan.FromSeconds(1) || options.TransactionTimeout > TimeSpan.FromMinutes(15))
        {
            failures.Add($"Kafka:TransactionTimeout is {Show(options.TransactionTimeout)}: set Kafka__TransactionTimeout between 00:00:01 and 00:15:00 (default 00:00:10; Kafka's brokers refuse more than their transaction.max.timeout.ms, 15 minutes by default).");
        }

        if (options.ProduceTimeout < TimeSpan.FromSeconds(1) || options.ProduceTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Kafka:ProduceTimeout is {Show(options.ProduceTimeout)}: set Kafka__ProduceTimeout between 00:00:01 and 00:05:00 (default 00:00:10), how long a post waits for Kafka's acknowledgement.");
        }

        if (options.TransactionalId is { } id && (id.Length == 0 || id.Length > 249 || id.Any(char.IsWhiteSpace)))
        {
            failures.Add("Kafka:TransactionalId must be 1-249 characters without spaces, unique per running silo; or leave Kafka__TransactionalId unset (the group id and the silo's endpoint).");
        }

        if (!WireFormats.TryParse(options.OutputFormat, out _))
        {
            failures.Add($"Kafka:OutputFormat is '{options.OutputFormat}': set Kafka__OutputFormat to json (default) or avro (Confluent-framed Avro, needs SchemaRegistry__Url outside the embedded default).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, int value, string key, string meaning)
    {
        if (value <= 0)
        {
            failures.Add($"Kafka:{key} is {value}: set Kafka__{key} to a positive number, {meaning}.");
        }
    }

    private static void AtLeast(List<string> failures, TimeSpan value, TimeSpan least, string key, string byDefault)
    {
        if (value < least)
        {
            failures.Add($"Kafka:{key} is {Show(value)}: set Kafka__{key} to a time span of at least {Show(least)} (default {byDefault}).");
        }
    }

    private static string Show(TimeSpan value) => MillisecondsKeys<KafkaOptions>.Format(value);

    private static bool LooksLikeHostPort(string entry)
    {
        var colon = entry.LastIndexOf(':');
        return colon > 0
            && int.TryParse(entry.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535;
    }
}
