using System.Net;
using InventoryOrleans.DevBroker.Cluster;
using InventoryOrleans.DevBroker.Handlers;
using InventoryOrleans.DevBroker.SchemaRegistry;
using InventoryOrleans.DevBroker.SchemaRegistry.Http;
using InventoryOrleans.DevBroker.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker;

/// <summary>A running development broker: start it from code (tests, the silo's embedded mode) or from Program.cs.</summary>
public sealed partial class DevBrokerServer : IAsyncDisposable
{
    private readonly IBrokerListener _listener;
    private readonly SchemaRegistryServer? _registryServer;
    private readonly ClusterState _cluster;
    private readonly ILogger _logger;
    private readonly Lazy<Task> _stop;

    private DevBrokerServer(IBrokerListener listener, SchemaRegistryServer? registryServer, BrokerServices services, ILogger logger)
    {
        _listener = listener;
        _registryServer = registryServer;
        _cluster = services.Cluster;
        Services = services;
        _logger = logger;
        _stop = new Lazy<Task>(StopOnceAsync);
    }

    /// <summary>The port it listens on (the chosen one when the options said 0).</summary>
    public int Port => _listener.Port;

    /// <summary>"host:port" for clients' bootstrap.servers.</summary>
    public string BootstrapServers => Services.Options.EffectiveAdvertisedHost.Contains(':', StringComparison.Ordinal)
        ? $"[{Services.Options.EffectiveAdvertisedHost}]:{Port}"
        : $"{Services.Options.EffectiveAdvertisedHost}:{Port}";

    /// <summary>Base URL of the schema registry (<c>http://127.0.0.1:8081</c>), or null when
    /// <see cref="DevBrokerOptions.SchemaRegistryPort"/> asked for none.</summary>
    public string? SchemaRegistryUrl => _registryServer is { } registry
        ? Services.Options.EffectiveAdvertisedHost.Contains(':', StringComparison.Ordinal)
            ? $"http://[{Services.Options.EffectiveAdvertisedHost}]:{registry.Port}"
            : $"http://{Services.Options.EffectiveAdvertisedHost}:{registry.Port}"
        : null;

    /// <summary>The broker's state and components (tests inspect logs through <see cref="BrokerServices.Cluster"/>).</summary>
    public BrokerServices Services { get; }

    public ClusterState Cluster => _cluster;

    /// <summary>Validates the options, recovers the logs from the data directory, binds the port and starts accepting.</summary>
    public static Task<DevBrokerServer> StartAsync(
        DevBrokerOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default) =>
        StartAsync(options, handler => handler, loggerFactory, timeProvider, cancellationToken);

    /// <summary>
    /// Starts a broker whose API handlers go through <paramref name="wrapHandler"/> first: for tests that make the broker
    /// answer a request the way a real one does under failure (an error code), which a healthy broker never does.
    /// </summary>
    public static async Task<DevBrokerServer> StartAsync(
        DevBrokerOptions options,
        Func<IApiHandler, IApiHandler> wrapHandler,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapHandler);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        cancellationToken.ThrowIfCancellationRequested();
        loggerFactory ??= NullLoggerFactory.Instance;
        timeProvider ??= TimeProvider.System;
        var logger = loggerFactory.CreateLogger<DevBrokerServer>();

        var cluster = ClusterState.Open(options, timeProvider, loggerFactory);
        IBrokerListener listener;
        try
        {
            listener = options.Transport == BrokerTransport.Kestrel
                ? KestrelBrokerListener.Create(IPAddress.Parse(options.Host), options.Port, loggerFactory, logger)
                : BrokerListener.Bind(IPAddress.Parse(options.Host), options.Port, logger);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }

        SchemaRegistryServer? registryServer = null;
        if (options.SchemaRegistryPort is { } registryPort)
        {
            try
            {
                // The registry's store is this broker's _schemas topic: it is read before the registry answers.
                var registry = Registry.Open(cluster, timeProvider, loggerFactory);
                registryServer = await SchemaRegistryServer.StartAsync(registry, IPAddress.Parse(options.Host), registryPort, loggerFactory, cancellationToken);
            }
            catch
            {
                await listener.DisposeAsync();
                cluster.Dispose();
                throw;
            }
        }

        // Metadata advertises the real port, also when the options asked for any free one.
        var effective = Clone(options);
        effective.Port = listener.Port;
        effective.SchemaRegistryPort = registryServer?.Port;
        var services = new BrokerServices(effective, cluster, new HandlerRegistry(BrokerHandlers.Create().Select(wrapHandler)), timeProvider, loggerFactory);
        BrokerComponents.Register(services);
        var server = new DevBrokerServer(listener, registryServer, services, logger);
        try
        {
            await listener.StartAcceptingAsync(services);
        }
        catch
        {
            await server.StopAsync();
            throw;
        }

        Log.Listening(logger, options.Host, listener.Port, options.DataDir ?? "(in memory)");
        if (server.SchemaRegistryUrl is { } registryUrl)
        {
            Log.RegistryListening(logger, registryUrl);
        }

        return server;
    }

    /// <summary>Closes every connection (waiting for their loops to end), then the components and the logs. Every caller,
    /// also a concurrent one (a host stopping while a test disposes), gets the same task, so none returns before the
    /// broker has stopped.</summary>
    public Task StopAsync() => _stop.Value;

    private async Task StopOnceAsync()
    {
        // The registry writes to the _schemas log, and the connection loops use the components and the logs: they must
        // all have ended before those are disposed.
        if (_registryServer is not null)
        {
            await _registryServer.DisposeAsync();
        }

        await _listener.DisposeAsync();
        for (var i = Services.ComponentsInOrder.Count - 1; i >= 0; i--)
        {
            switch (Services.ComponentsInOrder[i])
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        _cluster.Dispose();
        Log.Stopped(_logger, Port);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static DevBrokerOptions Clone(DevBrokerOptions o) => new()
    {
        Port = o.Port,
        Host = o.Host,
        SchemaRegistryPort = o.SchemaRegistryPort,
        Transport = o.Transport,
        AdvertisedHost = o.AdvertisedHost,
        DataDir = o.DataDir,
        NodeId = o.NodeId,
        ClusterId = o.ClusterId,
        AutoCreateTopics = o.AutoCreateTopics,
        DefaultPartitions = o.DefaultPartitions,
        MaxFrameBytes = o.MaxFrameBytes,
        MaxMessageBytes = o.MaxMessageBytes,
        FsyncPolicy = o.FsyncPolicy,
        SegmentBytes = o.SegmentBytes,
        RetentionMs = o.RetentionMs,
        RetentionBytes = o.RetentionBytes,
        RetentionCheckInterval = o.RetentionCheckInterval,
        LogCleanerInterval = o.LogCleanerInterval,
        GroupMinSessionTimeoutMs = o.GroupMinSessionTimeoutMs,
        GroupMaxSessionTimeoutMs = o.GroupMaxSessionTimeoutMs,
        GroupInitialRebalanceDelayMs = o.GroupInitialRebalanceDelayMs,
        TransactionMaxTimeout = o.TransactionMaxTimeout,
        TransactionCheckInterval = o.TransactionCheckInterval,
    };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "DevBroker started on {Host}:{Port}, data: {DataDir}")]
        public static partial void Listening(ILogger logger, string host, int port, string dataDir);

        [LoggerMessage(Level = LogLevel.Information, Message = "DevBroker schema registry on {Url}")]
        public static partial void RegistryListening(ILogger logger, string url);

        [LoggerMessage(Level = LogLevel.Information, Message = "DevBroker on port {Port} stopped")]
        public static partial void Stopped(ILogger logger, int port);
    }
}
