namespace InventoryOrleans.Silo.Options;

/// <summary>The grain storage providers the silo can run with.</summary>
public enum StorageProvider
{
    Sqlite,
    Redis,
}
