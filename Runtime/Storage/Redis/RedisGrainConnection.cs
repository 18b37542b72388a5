using StackExchange.Redis;

namespace InventoryOrleans.Runtime.Storage.Redis;

/// <summary>
/// The one <see cref="ConnectionMultiplexer"/> shared by Redis grain storage and reminders, connected on first use.
/// Created with <c>abortConnect=false</c> so a Redis outage shows up as exceptions on calls (which callers retry), not as a dead process.
/// </summary>
public sealed class RedisGrainConnection : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer;

    public RedisGrainConnection(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        OperationTimeout = TimeSpan.FromMilliseconds(options.SyncTimeout);
        _multiplexer = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options));
    }

    /// <summary>
    /// How long one storage operation may take (the connection string's <c>syncTimeout</c>). StackExchange.Redis 1.x does not
    /// time out async operations on a broken connection by itself, so storage calls apply this bound.
    /// </summary>
    public TimeSpan OperationTimeout { get; }

    /// <summary>Waits for a Redis operation, failing with <see cref="TimeoutException"/> after <see cref="OperationTimeout"/>.</summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var task = operation(Database);
        try
        {
            return await task.WaitAsync(OperationTimeout, cancellationToken);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            // Observe the late outcome so it never surfaces as an unobserved task exception.
            _ = task.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new TimeoutException($"Redis did not answer within {OperationTimeout} (syncTimeout); is the server reachable?");
        }
    }

    /// <summary>The database grain state and reminders live in.</summary>
    public IDatabase Database => _multiplexer.Value.GetDatabase();

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }
}
