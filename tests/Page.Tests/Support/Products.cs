using System.Globalization;

namespace InventoryOrleans.Page.Tests.Support;

/// <summary>Product ids no other test uses, so tests sharing the cluster never see each other's stock.</summary>
public static class Products
{
    private static int s_next;

    public static string New(string prefix) =>
        $"{prefix}-{Interlocked.Increment(ref s_next).ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}";
}
