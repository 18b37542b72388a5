using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Runtime;

/// <summary>
/// An in-process grain runtime: hands out grain references, keeps one activation per (grain class, key), collects idle
/// activations, deactivates chosen ones on request and all of them on shutdown. Several runtimes can live in one process
/// (each with its own services); there is no static mutable state.
/// </summary>
public sealed class GrainRuntime : IGrainFactory, IHostedService, IAsyncDisposable, IDisposable
{
    private readonly FrozenDictionary<Type, GrainInterface> _interfaces;
    private readonly IReadOnlyList<GrainClass> _classes;
    private readonly Lazy<IGrainStorage> _storage;
    private ITimer? _collectionTimer;
    private volatile bool _stopping;

    public GrainRuntime(
        IServiceProvider services,
        IOptions<GrainRuntimeOptions> options,
        TimeProvider time,
        GrainRuntimeMetrics metrics,
        GrainStateSerializer serializer,
        IEnumerable<GrainRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registrations);
        Services = services;
        Options = options.Value;
        Time = time;
        Metrics = metrics;
        Serializer = serializer;
        Logger = services.GetService<ILoggerFactory>()?.CreateLogger<GrainRuntime>() ?? NullLogger<GrainRuntime>.Instance;
        Reminders = services.GetService<IReminderTable>() ?? new MissingReminderTable();
        _storage = new Lazy<IGrainStorage>(() => services.GetService<IGrainStorage>()
            ?? throw new InvalidOperationException("A grain has persistent state but no grain storage is registered; call services.AddSqliteGrainStorage(path) or services.AddRedisGrainStorage(connectionString)."));

        var emitter = new GrainProxyEmitter();
        var classes = new Dictionary<Type, GrainClass>();
        var interfaces = new Dictionary<Type, GrainInterface>();
        foreach (var registration in registrations)
        {
            if (!classes.TryGetValue(registration.GrainClass, out var grainClass))
            {
                grainClass = new GrainClass(registration.GrainClass, registration.GrainType, metrics.RegisterGrainType(registration.GrainType));
                classes.Add(registration.GrainClass, grainClass);
            }

            interfaces[registration.Interface] = new GrainInterface(this, emitter, registration.Interface, grainClass);
        }

        _classes = [.. classes.Values];
        _interfaces = interfaces.ToFrozenDictionary();
    }

    /// <summary>The runtime's call and activation metrics.</summary>
    public GrainRuntimeMetrics Metrics { get; }

    /// <summary>Live activations, all grain types together.</summary>
    public int ActivationCount => _classes.Sum(c => c.Activations.Count);

    internal GrainRuntimeOptions Options { get; }

    internal TimeProvider Time { get; }

    internal IServiceProvider Services { get; }

    internal GrainStateSerializer Serializer { get; }

    internal ILogger Logger { get; }

    internal IReminderTable Reminders { get; }

    internal IGrainStorage Storage => _storage.Value;

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        GrainKey.Validate(key);
        if (!_interfaces.TryGetValue(typeof(TGrainInterface), out var grainInterface))
        {
            throw new InvalidOperationException(
                $"No grain class is registered for {typeof(TGrainInterface).Name}; call services.AddGrain<{typeof(TGrainInterface).Name}, TGrain>().");
        }

        return (TGrainInterface)(object)GetReference(grainInterface, key);
    }

    private static GrainReference GetReference(GrainInterface grainInterface, string key)
    {
        if (!grainInterface.GrainClass.Activations.TryGetValue(key, out var activation) || activation.IsInvalid)
        {
            return grainInterface.CreateReference(key);
        }

        var cached = activation.CachedReference;
        if (cached is not null && ReferenceEquals(cached.Interface, grainInterface))
        {
            return cached;
        }

        var reference = grainInterface.CreateReference(activation.Key);
        reference.Activation = activation;
        activation.CachedReference = reference;
        return reference;
    }

    /// <summary>Whether an activation of <paramref name="grainType"/> with <paramref name="key"/> is alive here.</summary>
    public bool IsActive(string grainType, string key) =>
        _classes.Any(c => c.GrainType == grainType && c.Activations.ContainsKey(key));

    /// <summary>
    /// Deactivates every activation the predicate (grain type, key) selects, each after its current turn, and waits until they
    /// are gone. Calls that arrive meanwhile go to fresh activations afterwards (which reload state from storage).
    /// </summary>
    public Task DeactivateAsync(Func<string, string, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return DeactivateWhereAsync(predicate, DeactivationReason.ExplicitDeactivation, cancellationToken);
    }

    /// <summary>Starts idle collection.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _collectionTimer ??= Time.CreateTimer(static s => ((GrainRuntime)s!).CollectIdle(), this, Options.CollectionQuantum, Options.CollectionQuantum);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking new activations and deactivates every activation (reason ShuttingDown), waiting for in-flight turns.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (_collectionTimer is not null)
        {
            await _collectionTimer.DisposeAsync();
        }

        await DeactivateWhereAsync(static (_, _) => true, DeactivationReason.ShuttingDown, cancellationToken);
    }

    /// <summary>Shuts down as <see cref="StopAsync"/> unless that ran already.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopping)
        {
            await StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Stops idle collection and new activations without waiting for deactivations (a synchronous container disposal);
    /// a graceful shutdown is <see cref="StopAsync"/>, which the host calls.
    /// </summary>
    public void Dispose()
    {
        _stopping = true;
        _collectionTimer?.Dispose();
    }

    /// <summary>Moves a call that waited on a deactivated activation to the next one.</summary>
    internal void Forward(GrainClass grainClass, string key, WorkItem item)
    {
        try
        {
            while (!GetOrCreateActivation(grainClass, key).TryEnqueue(item))
            {
                // That activation went away between lookup and enqueue; look again.
            }
        }
        catch (InvalidOperationException ex)
        {
            item.Fail(ex);
        }
    }

    internal GrainActivation GetOrCreateActivation(GrainClass grainClass, string key)
    {
        while (true)
        {
            if (grainClass.Activations.TryGetValue(key, out var existing))
            {
                return existing;
            }

            if (_stopping)
            {
                throw new InvalidOperationException($"The grain runtime is shutting down; grain {grainClass.GrainType}/{key} cannot be activated.");
            }

            var created = new GrainActivation(this, grainClass, key);
            if (grainClass.Activations.TryAdd(key, created))
            {
                created.Start();
                return created;
            }
        }
    }

    private async Task DeactivateWhereAsync(Func<string, string, bool> predicate, DeactivationReason reason, CancellationToken cancellationToken)
    {
        var waits = new List<Task>();
        foreach (var grainClass in _classes)
        {
            foreach (var (key, activation) in grainClass.Activations)
            {
                if (predicate(grainClass.GrainType, key))
                {
                    waits.Add(activation.RequestDeactivation(reason));
                }
            }
        }

        await Task.WhenAll(waits).WaitAsync(cancellationToken);
    }

    private void CollectIdle()
    {
        var now = Time.GetTimestamp();
        var age = (long)(Options.CollectionAge.TotalSeconds * Time.TimestampFrequency);
        var collected = 0;
        foreach (var grainClass in _classes)
        {
            foreach (var (_, activation) in grainClass.Activations)
            {
                if (activation.CollectIfIdle(now, age))
                {
                    collected++;
                }
            }
        }

        if (collected > 0)
        {
            GrainRuntimeLog.CollectedIdle(Logger, collected);
        }
    }
}
