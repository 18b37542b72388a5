namespace InventoryOrleans.Api.Grpc.Tests.Support;

/// <summary>The tests that share one <see cref="ApiCluster"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiCluster>
{
    public const string Name = "api";
}
