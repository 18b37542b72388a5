using System.Diagnostics;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Tests.Server;

/// <summary>Stopping a broker while clients are busy: pipelining producers, long-polling fetchers, and clients that stopped
/// reading (so the broker has answers it cannot send). StopAsync must finish without throwing, every time.</summary>
public sealed class StopUnderLoadTests
{
    private const int Producers = 4;
    private const int Fetchers = 4;
    private const int StalledReaders = 2;

    [Theory]
    [InlineData(BrokerTransport.Sockets, 20)]
    [InlineData(BrokerTransport.Kestrel, 5)]
    public async Task StopAsync_ManyActiveClients_CompletesWithoutExceptionAndLogsNoError(BrokerTransport transport, int cycles)
    {
        for (var cycle = 0; cycle < cycles; cycle++)
        {
            var errors = new ErrorLogCollector();
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(errors));
            var broker = await DevBrokerServer.StartAsync(new DevBrokerOptions { Port = 0, Transport = transport }, loggerFactory);
            var clients = new List<RawKafkaConnection>();
            var loops = new List<Task>();
            try
            {
                await StartLoadAsync(broker, clients, loops);

                var clock = Stopwatch.StartNew();
                var failure = await Record.ExceptionAsync(broker.StopAsync).WaitAsync(TimeSpan.FromSeconds(30));

                Assert.Null(failure);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cycle {cycle}: stopping took {clock.Elapsed.TotalSeconds:0.0} s");
                Assert.Empty(errors.Errors);

                // Every client sees its connection closed, so no request is left hanging.
                await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(10));
            }
            finally
            {
                await broker.DisposeAsync();
                foreach (var client in clients)
                {
                    client.Dispose();
                }
            }
        }
    }

    private static async Task StartLoadAsync(DevBrokerServer broker, List<RawKafkaConnection> clients, List<Task> loops)
    {
        broker.Cluster.CreateTopic("busy", Producers, new Dictionary<string, string?>(), validateOnly: false);
        broker.Cluster.CreateTopic("quiet", 1, new Dictionary<string, string?>(), validateOnly: false);

        // ~150 KB in one batch: a Fetch answer that goes through the connection's pipe (not straight to the socket).
        using (var setup = await RawKafkaConnection.ConnectAsync(broker.Port))
        {
            var bulk = TestBatches.Build(Enumerable.Range(0, 150).Select(i => new string('x', 1000)).ToList());
            await setup.SendAsync(ApiKey.Produce, 3, 1, RawRequests.Produce("busy", 0, bulk));
            Assert.Equal(ErrorCode.None, RawRequests.ReadProduceResponse((await setup.ReceiveAsync())!.Value.Body).Error);
        }

        var acked = 0;
        for (var p = 0; p < Producers; p++)
        {
            var producer = await Connect(broker, clients);
            var partition = p;
            loops.Add(Task.Run(() => ProduceUntilClosedAsync(producer, partition, () => Interlocked.Increment(ref acked))));
        }

        for (var f = 0; f < Fetchers; f++)
        {
            var fetcher = await Connect(broker, clients);
            await fetcher.SendAsync(ApiKey.Fetch, 4, 1, RawRequests.Fetch("quiet", 0, offset: 0, maxWaitMs: 60_000));
            loops.Add(ReadUntilClosedAsync(fetcher));
        }

        var stalled = new List<RawKafkaConnection>();
        for (var s = 0; s < StalledReaders; s++)
        {
            // 128 pipelined fetches of ~150 KB each, never read: far more than the socket buffers hold (a receive buffer that
            // is never read stays small, so one answer arriving is the sign).
            var reader = await Connect(broker, clients);
            var frames = Enumerable.Range(1, 128)
                .SelectMany(id => RawKafkaConnection.Frame(ApiKey.Fetch, 4, id, RawRequests.Fetch("busy", 0, offset: 0, maxWaitMs: 0, maxBytes: 200_000)))
                .ToArray();
            await reader.SendAsync(frames);
            stalled.Add(reader);
        }

        await Eventually.TrueAsync(
            () => Volatile.Read(ref acked) >= Producers * 8 && stalled.TrueForAll(r => r.Available >= 100_000),
            TimeSpan.FromSeconds(20),
            "the producers were acknowledged and the stalled readers' buffers filled");
        foreach (var reader in stalled)
        {
            loops.Add(ReadUntilClosedAsync(reader));
        }
    }

    private static async Task<RawKafkaConnection> Connect(DevBrokerServer broker, List<RawKafkaConnection> clients)
    {
        var connection = await RawKafkaConnection.ConnectAsync(broker.Port);
        clients.Add(connection);
        return connection;
    }

    /// <summary>Sends eight acks=1 produces at a time (pipelined), reads their answers, again, until the broker closes.</summary>
    private static async Task ProduceUntilClosedAsync(RawKafkaConnection connection, int partition, Action onAck)
    {
        var batch = TestBatches.Build(["a", "b", "c"]);
        var frames = Enumerable.Range(1, 8)
            .SelectMany(id => RawKafkaConnection.Frame(ApiKey.Produce, 3, id, RawRequests.Produce("busy", partition, batch, acks: 1)))
            .ToArray();
        try
        {
            while (true)
            {
                await connection.SendAsync(frames);
                for (var i = 0; i < 8; i++)
                {
                    if (await connection.ReceiveAsync(TimeSpan.FromSeconds(20)) is null)
                    {
                        return;
                    }

                    onAck();
                }
            }
        }
        catch (IOException)
        {
            // The broker closed the connection while a send was under way.
        }
    }

    /// <summary>Reads answers until the broker closes the connection.</summary>
    private static async Task ReadUntilClosedAsync(RawKafkaConnection connection)
    {
        while (await connection.ReceiveAsync(TimeSpan.FromSeconds(60)) is not null)
        {
        }
    }
}
