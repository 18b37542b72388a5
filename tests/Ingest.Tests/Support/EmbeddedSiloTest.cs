namespace InventoryOrleans.Ingest.Tests.Support;

/// <summary>
/// Base of the pipeline tests: an in-process DevBroker, a client producing and reading its topics, and a temporary
/// SQLite file for the silos that <see cref="StartSiloAsync"/> starts against them.
/// </summary>
public abstract class EmbeddedSiloTest : IAsyncLifetime
{
    protected string SqlitePath { get; } = Path.Combine(Path.GetTempPath(), "ingest-tests-" + Guid.NewGuid().ToString("N") + ".db");

    protected BrokerFixture Broker { get; private set; } = null!;

    protected KafkaTestClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await BrokerFixture.StartAsync();
        Client = new KafkaTestClient(Broker.BootstrapServers);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Broker.DisposeAsync();
        foreach (var file in new[] { SqlitePath, SqlitePath + "-wal", SqlitePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    protected Task<TestSilo> StartSiloAsync(string name = "silo-1") => TestSilo.StartAsync(name, new Dictionary<string, string?>
    {
        ["Kafka:BootstrapServers"] = Broker.BootstrapServers,
        ["Storage:Provider"] = "Sqlite",
        ["Storage:SqlitePath"] = SqlitePath,
    });
}
