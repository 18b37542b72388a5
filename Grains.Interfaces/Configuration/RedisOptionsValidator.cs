using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace InventoryOrleans.Grains.Interfaces.Configuration;

/// <summary>Checks <see cref="RedisOptions"/> at start; every message says how to set the key.</summary>
public sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    private const string How = "set Redis__ConnectionString to the silos' Redis, e.g. redis:6379, or 127.0.0.1:6380 for the embedded Garnet of 'dotnet run --project Silo'";

    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"Redis:ConnectionString is not set: silos and Api hosts find the Orleans cluster (and the silos their state) through Redis; {How}. Only a silo built with the embedded defaults may leave it unset, to start Garnet.");
        }
        else
        {
            try
            {
                ConfigurationOptions.Parse(options.ConnectionString);
            }
            catch (ArgumentException e)
            {
                errors.Add($"Redis:ConnectionString '{options.ConnectionString}' is not a StackExchange.Redis connection string ({e.Message}): {How} (host:port[,option=value…]).");
            }
        }

        if (options.DurabilityCommand is { } command && (command.Length == 0 || command.Any(char.IsWhiteSpace)))
        {
            errors.Add($"Redis:DurabilityCommand '{command}' is not one command word: leave Redis__DurabilityCommand unset for a Redis with appendfsync always, or set it to COMMITAOF for a Garnet.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
