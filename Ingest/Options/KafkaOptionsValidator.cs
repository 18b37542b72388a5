using InventoryOrleans.Grains.Interfaces.Avro;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Options;

/// <summary>Checks <see cref="KafkaOptions"/> at start and says how to fix a bad setting.</summary>
public sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            failures.Add("Kafka:BootstrapServers is empty: set Kafka__BootstrapServers=host:port, or leave it unset in the silo to start the embedded DevBroker.");
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
        Positive(failures, options.PollTimeoutMs, "PollTimeoutMs", "milliseconds (default 100)");
        Positive(failures, options.FetchWaitMaxMs, "FetchWaitMaxMs", "milliseconds (default 20)");
        Positive(failures, options.RetryBackoffInitialMs, "RetryBackoffInitialMs", "milliseconds (default 50)");
        Positive(failures, options.StartupTimeoutMs, "StartupTimeoutMs", "milliseconds (default 30000)");
        if (options.BatchLingerMs < 0)
        {
            failures.Add("Kafka:BatchLingerMs is negative: set it to 0 or more milliseconds (default 0).");
        }

        if (options.ProducerLingerMs < 0)
        {
            failures.Add("Kafka:ProducerLingerMs is negative: set it to 0 or more milliseconds (default 1).");
        }

        if (options.RetryBackoffMaxMs < options.RetryBackoffInitialMs)
        {
            failures.Add("Kafka:RetryBackoffMaxMs is below Kafka:RetryBackoffInitialMs: raise it (default 2000).");
        }

        if (options.SessionTimeoutMs < 1_000)
        {
            failures.Add("Kafka:SessionTimeoutMs is below 1000: set at least 1000 ms (default 10000); the broker also bounds it.");
        }

        if (options.HeartbeatIntervalMs <= 0 || options.HeartbeatIntervalMs * 3 > options.SessionTimeoutMs)
        {
            failures.Add("Kafka:HeartbeatIntervalMs must be positive and at most a third of Kafka:SessionTimeoutMs (default 1000).");
        }

        if (options.MaxPollIntervalMs < options.SessionTimeoutMs)
        {
            failures.Add("Kafka:MaxPollIntervalMs must be at least Kafka:SessionTimeoutMs (default 60000).");
        }

        if (options.TransactionTimeoutMs is < 1_000 or > 900_000)
        {
            failures.Add($"Kafka:TransactionTimeoutMs is {options.TransactionTimeoutMs}: set Kafka__TransactionTimeoutMs between 1000 and 900000 ms (default 10000; Kafka's brokers refuse more than their transaction.max.timeout.ms, 15 minutes by default).");
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

    private static bool LooksLikeHostPort(string entry)
    {
        var colon = entry.LastIndexOf(':');
        return colon > 0
            && int.TryParse(entry.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535;
    }
}
