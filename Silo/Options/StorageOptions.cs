namespace InventoryOrleans.Silo.Options;

/// <summary>Where grain state lives (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>Sqlite</c> or <c>Redis</c>; unset means Sqlite with the embedded DevBroker, Redis with a real Kafka.</summary>
    public string? Provider { get; set; }

    /// <summary>StackExchange.Redis connection string.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>The SQLite file (created with its folder when missing).</summary>
    public string SqlitePath { get; set; } = "data/grains.db";

    /// <summary>The provider in effect, given whether the DevBroker is embedded.</summary>
    public StorageProvider EffectiveProvider(bool embeddedBroker) => Provider switch
    {
        null or "" => embeddedBroker ? StorageProvider.Sqlite : StorageProvider.Redis,
        _ when string.Equals(Provider, nameof(StorageProvider.Sqlite), StringComparison.OrdinalIgnoreCase) => StorageProvider.Sqlite,
        _ when string.Equals(Provider, nameof(StorageProvider.Redis), StringComparison.OrdinalIgnoreCase) => StorageProvider.Redis,
        _ => throw new InvalidOperationException($"Storage:Provider '{Provider}' is unknown: set Storage__Provider to Sqlite or Redis (or leave it unset)."),
    };

    /// <summary>Problems with the settings, each saying how to fix it; empty when valid.</summary>
    public IReadOnlyList<string> Validate(bool embeddedBroker)
    {
        var errors = new List<string>();
        StorageProvider provider;
        try
        {
            provider = EffectiveProvider(embeddedBroker);
        }
        catch (InvalidOperationException e)
        {
            errors.Add(e.Message);
            return errors;
        }

        if (provider == StorageProvider.Redis && string.IsNullOrWhiteSpace(Redis))
        {
            errors.Add("Storage:Redis is empty: set Storage__Redis to a Redis connection string such as 127.0.0.1:6379.");
        }

        if (provider == StorageProvider.Sqlite && string.IsNullOrWhiteSpace(SqlitePath))
        {
            errors.Add("Storage:SqlitePath is empty: set Storage__SqlitePath to a file path such as data/grains.db.");
        }

        return errors;
    }
}
