using InventoryOrleans.Deploy.Tests.Docker;

namespace InventoryOrleans.Deploy.Tests;

/// <summary>
/// The build context the images get (the repository root less .dockerignore): the build settings and every project an
/// image compiles go in; build output, local data, tests and benchmarks stay out.
/// </summary>
public sealed class DockerIgnoreTests
{
    private static readonly DockerIgnore Ignore = DockerIgnore.Load(Repository.PathOf(".dockerignore"));

    [Theory]
    [InlineData("Directory.Build.props")]
    [InlineData("Directory.Packages.props")]
    [InlineData("global.json")]
    [InlineData(".editorconfig")]
    public void BuildSettings_DockerIgnore_StayInTheContext(string file)
    {
        Assert.True(File.Exists(Repository.PathOf(file)), file);
        Assert.False(Ignore.Excludes(file), file);
    }

    [Theory]
    [InlineData("Silo/bin/Release/net10.0/InventoryOrleans.Silo.dll")]
    [InlineData("Api/obj/project.assets.json")]
    [InlineData("Silo/data/redis/aof.log")]
    [InlineData("DevBroker/data/kafka/inventory.events-0/00000000.log")]
    [InlineData("tests/Silo.Tests/SiloProcess.cs")]
    [InlineData("bench/Program.cs")]
    [InlineData(".git/HEAD")]
    public void Outputs_DockerIgnore_StayOutOfTheContext(string path) => Assert.True(Ignore.Excludes(path), path);

    /// <summary>The compose stack's keys live in <c>.env</c> beside the compose file (docs/operations.md, "Production shape").</summary>
    [Fact]
    public void ComposeEnvFile_DockerIgnore_StaysOutOfTheContext() => Assert.True(Ignore.Excludes(".env"));

    [Theory]
    [InlineData("Silo/Silo.csproj")]
    [InlineData("Api/Api.csproj")]
    public async Task ProjectsAnImageCompiles_DockerIgnore_HaveEveryTrackedFileInTheContext(string project)
    {
        var folders = ProjectReferences.FoldersOf(project);

        Assert.Contains(project.Split('/')[0], folders);
        Assert.Contains("Grains.Interfaces", folders);
        foreach (var folder in folders)
        {
            // What git tracks is the source; the Dockerfile itself reaches the builder whatever .dockerignore says.
            var tracked = await ProcessRun.RunAsync("git", ["ls-files", "--", folder], Repository.Root);
            Assert.True(tracked.ExitCode == 0, tracked.ToString());
            var files = tracked.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(f => Path.GetFileName(f) != "Dockerfile").ToList();
            Assert.NotEmpty(files);
            Assert.All(files, f => Assert.False(Ignore.Excludes(f), $"{project} compiles {folder}, but .dockerignore leaves out {f}"));
        }
    }
}
