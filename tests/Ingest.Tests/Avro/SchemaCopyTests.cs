using Avro;
using InventoryOrleans.Grains.Interfaces.Avro;

namespace InventoryOrleans.Ingest.Tests.Avro;

/// <summary>
/// The repository's Avro schemas (Grains.Interfaces/Avro/Schemas, embedded) are copies of the contract's
/// shared/api/avro: byte for byte where that folder sits beside the repository, as in the project's workspace.
/// </summary>
public sealed class SchemaCopyTests
{
    [Fact]
    public void EmbeddedSchemas_EqualTheContractsCopies()
    {
        var shared = Path.Combine(RepositoryRoot(), "..", "shared", "api", "avro");
        foreach (var contract in AvroSchemas.All)
        {
            var copy = Path.Combine(RepositoryRoot(), "Grains.Interfaces", "Avro", "Schemas", contract.Name + ".avsc");
            Assert.Equal(File.ReadAllText(copy), contract.Text);
            if (Directory.Exists(shared))
            {
                Assert.Equal(File.ReadAllText(Path.Combine(shared, contract.Name + ".avsc")), contract.Text);
            }

            Assert.Equal("inventory.v1", contract.Schema.Namespace);
        }
    }

    [Fact]
    public void InventoryEventType_DefaultsToUnknownForSymbolsAReaderLacks()
    {
        var type = (EnumSchema)AvroSchemas.InventoryEvent.Schema["type"].Schema;
        Assert.Equal("Unknown", type.Default);
        Assert.Equal(Enum.GetNames<Grains.Interfaces.InventoryEventType>().Append("Unknown"), type.Symbols);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "InventoryOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("InventoryOrleans.sln not found above the test's folder");
    }
}
