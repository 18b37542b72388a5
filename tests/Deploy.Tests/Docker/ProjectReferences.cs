using System.Xml.Linq;

namespace InventoryOrleans.Deploy.Tests.Docker;

/// <summary>The projects an image's build compiles: its own and every project it references, transitively.</summary>
internal static class ProjectReferences
{
    /// <summary>The folders (relative to the repository root, forward slashes) of <paramref name="project"/> and its references.</summary>
    public static IReadOnlySet<string> FoldersOf(string project)
    {
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Repository.PathOf(project)]);
        while (pending.TryPop(out var path))
        {
            var full = Path.GetFullPath(path);
            if (!folders.Add(Relative(Path.GetDirectoryName(full)!)))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(full).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                pending.Push(Path.Combine(Path.GetDirectoryName(full)!, include));
            }
        }

        return folders;
    }

    private static string Relative(string folder) => Path.GetRelativePath(Repository.Root, folder).Replace(Path.DirectorySeparatorChar, '/');
}
