namespace InventoryOrleans.Deploy.Tests;

/// <summary>
/// The repository carries its own copies of the contract — <c>docs/CONTRACTS.md</c>, which code comments cite, and
/// <c>Api/Protos/inventory.proto</c>, which the Api and its clients compile — so that it reads and builds on its own.
/// Byte for byte the team's shared files where that folder sits beside the repository, as in the project's workspace;
/// a contract changed there and not here fails this test.
/// </summary>
public sealed class ContractCopyTests
{
    public static TheoryData<string, string> Copies => new()
    {
        { "docs/CONTRACTS.md", "CONTRACTS.md" },
        { "Api/Protos/inventory.proto", "api/inventory.proto" },
    };

    [Theory]
    [MemberData(nameof(Copies))]
    public void Copy_EqualsTheSharedContract(string copy, string shared)
    {
        var text = File.ReadAllText(Repository.PathOf(copy));
        Assert.Contains("inventory", text, StringComparison.Ordinal);

        var original = Path.Combine(Repository.Root, "..", "shared", shared.Replace('/', Path.DirectorySeparatorChar));
        if (File.Exists(original))
        {
            Assert.Equal(File.ReadAllText(original), text);
        }
    }

    [Fact]
    public void CodeComments_CiteTheRepositorysCopyOfTheContract()
    {
        var outside = Directory.EnumerateFiles(Repository.Root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(path) != $"{nameof(ContractCopyTests)}.cs")
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, index)))
            .Where(x => x.line.Contains("CONTRACTS.md", StringComparison.Ordinal) && !x.line.Contains("docs/CONTRACTS.md", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(Repository.Root, x.path)}:{x.index + 1}")
            .ToList();
        Assert.True(outside.Count == 0, $"comments citing a CONTRACTS.md outside the repository: {string.Join(", ", outside)}");
    }
}
