namespace InventoryOrleans.Grains.Tests.Support;

/// <summary>The test classes that share one silo (<see cref="SiloCluster"/>).</summary>
[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloCluster>
{
    public const string Name = "silo";
}
