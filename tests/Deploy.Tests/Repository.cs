namespace InventoryOrleans.Deploy.Tests;

/// <summary>The repository checked out around the test run: the folder holding <c>InventoryOrleans.sln</c>.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The full path of <paramref name="relative"/> (forward slashes) under <see cref="Root"/>.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "InventoryOrleans.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no InventoryOrleans.sln above {AppContext.BaseDirectory}");
    }
}
